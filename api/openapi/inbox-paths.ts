/** The inbox, the live notification stream and the one-click unsubscribe (api/notifications/inbox-routes.ts). */
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import {
  inboxPage,
  inboxQuery,
  markedRead,
  markReadBody,
  notificationLastEventId,
  notificationSchema,
  streamTicket,
  userEventsQuery,
} from '../notifications/inbox-schemas.js';
import { unsubscribeQuery } from '../notifications/unsubscribe.js';
import { jsonData } from '../auctions/responses.js';
import {
  bearer,
  bodyRefusals,
  errorResponse,
  json,
  jsonBody,
  parameterRefusal,
  tooManyStreams,
  unauthenticated,
} from './parts.js';

const tags = ['Notifications'];

export const unreadCountSchema = z.object({ unreadCount: z.int().min(0) }).meta({ id: 'UnreadCount' });

const streamEvent = z
  .union([
    z.object({ event: z.literal('notification'), id: z.string(), data: jsonData(notificationSchema) }),
    z.object({ event: z.literal('unread'), data: jsonData(unreadCountSchema) }),
  ])
  .meta({
    id: 'NotificationEvent',
    description:
      '`notification` events carry a Notification (`id:` is its id: send it back as Last-Event-ID to resume); an ' +
      '`unread` event with the unread count opens a stream that was not resumed. Comment lines (`: ping`) keep it alive.',
  });

export const inboxPaths: ZodOpenApiPathsObject = {
  '/v1/users/me/notifications': {
    get: {
      operationId: 'listNotifications',
      summary: 'Your notifications, newest first',
      tags,
      security: bearer,
      requestParams: { query: inboxQuery },
      responses: {
        200: json('One page, and how many are unread.', inboxPage),
        400: parameterRefusal('INVALID_CURSOR'),
        401: unauthenticated,
      },
    },
  },
  '/v1/users/me/notifications/read': {
    post: {
      operationId: 'markNotificationsRead',
      summary: 'Mark notifications read',
      tags,
      security: bearer,
      requestBody: jsonBody(markReadBody),
      responses: {
        200: json('Marked; how many are still unread.', markedRead),
        ...bodyRefusals,
        401: unauthenticated,
        404: errorResponse('An id in `ids` is not one of your notifications: nothing was marked.', ['NOT_FOUND'], {
          ids: z.array(z.int()),
        }),
      },
    },
  },
  '/v1/users/me/events/ticket': {
    post: {
      operationId: 'createStreamTicket',
      summary: 'A one-use ticket to open your live stream from a browser (EventSource sends no headers)',
      tags,
      security: bearer,
      responses: { 201: json('Valid once, for a minute.', streamTicket), 401: unauthenticated },
    },
  },
  '/v1/users/me/events': {
    get: {
      operationId: 'watchNotifications',
      summary: 'Your notifications live (Server-Sent Events)',
      description: 'Authenticate with a bearer token, or with `?ticket=` from POST /v1/users/me/events/ticket.',
      tags,
      security: [{ bearerAuth: [] }, {}],
      requestParams: {
        query: userEventsQuery,
        header: z.object({ 'Last-Event-ID': notificationLastEventId.optional() }),
      },
      responses: {
        200: {
          description: 'An endless event stream; each event as described (its `data` is JSON).',
          content: { 'text/event-stream': { schema: streamEvent } },
        },
        400: parameterRefusal(),
        401: errorResponse('No token or ticket, or one that is invalid, used or expired.', [
          'UNAUTHENTICATED',
          'INVALID_TOKEN',
          'INVALID_TICKET',
        ]),
        429: tooManyStreams,
      },
    },
  },
  '/v1/notifications/unsubscribe': {
    get: {
      operationId: 'unsubscribePage',
      summary: 'The page behind an email’s unsubscribe link: a button, nothing changed yet',
      tags,
      requestParams: { query: unsubscribeQuery },
      responses: {
        200: { description: 'An HTML page with the button.', content: { 'text/html': { schema: z.string() } } },
        400: parameterRefusal('INVALID_UNSUBSCRIBE_TOKEN'),
      },
    },
    post: {
      operationId: 'unsubscribe',
      summary: 'One-click unsubscribe (RFC 8058): stop emails of the link’s type',
      description: 'No sign-in: the signed token in the link says who and which type. Any body is ignored.',
      tags,
      requestParams: { query: unsubscribeQuery },
      responses: {
        200: json(
          'Unsubscribed (again, if it already was).',
          z.object({ unsubscribed: z.object({ channel: z.literal('email'), type: z.string() }) }),
        ),
        400: parameterRefusal('INVALID_UNSUBSCRIBE_TOKEN'),
      },
    },
  },
};
