/**
 * The watchlist, "my bids" and notification-settings routes (api/notifications/routes.ts) in the
 * document: requests from the schemas the routes parse with.
 */
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { auctionIdParam } from '../auctions/ids.js';
import { bodyErrorCodes } from '../error-handler.js';
import { pageQuery } from '../auctions/schemas.js';
import { myBidPage, notificationSettings, watchlistPage } from '../notifications/responses.js';
import { myBidsQuery, notificationSettingsBody } from '../notifications/schemas.js';
import { WATCHLIST_MAX } from '../notifications/watchlist.js';
import {
  bearer,
  bodyRefusals,
  errorResponse,
  json,
  jsonBody,
  notFound,
  parameterRefusal,
  unauthenticated,
} from './parts.js';

const path = z.object({ auctionId: auctionIdParam });
const done = { description: 'Done (and done already is done too): no body.' };

export const notificationPaths: ZodOpenApiPathsObject = {
  '/v1/users/me/watchlist/{auctionId}': {
    put: {
      operationId: 'addToWatchlist',
      summary: 'Watch an auction; repeating it changes nothing',
      description: `You are told when it starts, is ending soon or is cancelled. At most ${WATCHLIST_MAX} per user.`,
      tags: ['Watchlist'],
      security: bearer,
      requestParams: { path },
      responses: {
        204: done,
        401: unauthenticated,
        404: notFound('auction'),
        409: errorResponse(
          `Your watchlist already holds ${WATCHLIST_MAX} auctions: unwatch one first.`,
          ['WATCHLIST_FULL'],
          {
            max: z.int().min(1),
          },
        ),
      },
    },
    delete: {
      operationId: 'removeFromWatchlist',
      summary: 'Stop watching an auction; repeating it changes nothing',
      tags: ['Watchlist'],
      security: bearer,
      requestParams: { path },
      responses: { 204: done, 401: unauthenticated, 404: notFound('auction') },
    },
  },
  '/v1/users/me/watchlist': {
    get: {
      operationId: 'listWatchlist',
      summary: 'The auctions you watch, newest watched first, with their live state',
      tags: ['Watchlist'],
      security: bearer,
      requestParams: { query: pageQuery },
      responses: {
        200: json('One page.', watchlistPage),
        400: parameterRefusal('INVALID_CURSOR'),
        401: unauthenticated,
      },
    },
  },
  '/v1/users/me/bids': {
    get: {
      operationId: 'listMyBids',
      summary: 'The auctions you bid on, latest bid first, and how you stand on each',
      description:
        'One item per auction, from your persisted bids (a bid shows here once the auction has recorded it, ' +
        'within moments). Your maximum is shown to you alone.',
      tags: ['Auctions'],
      security: bearer,
      requestParams: { query: myBidsQuery },
      responses: {
        200: json('One page.', myBidPage),
        400: parameterRefusal('INVALID_CURSOR'),
        401: unauthenticated,
      },
    },
  },
  '/v1/users/me/notification-settings': {
    get: {
      operationId: 'getNotificationSettings',
      summary: 'Which notifications reach you on which channel, and when "ending soon" is said',
      description: 'The defaults until you change something. The inbox carries every type, always.',
      tags: ['Notifications'],
      security: bearer,
      responses: { 200: json('Your settings.', notificationSettings), 401: unauthenticated },
    },
    put: {
      operationId: 'putNotificationSettings',
      summary: 'Change your notification settings',
      tags: ['Notifications'],
      security: bearer,
      requestBody: jsonBody(notificationSettingsBody),
      responses: {
        200: json('Your settings, as now stored.', notificationSettings),
        ...bodyRefusals,
        400: errorResponse(
          'The body is not valid (`VALIDATION` lists each issue in `error.issues`), or it turns the inbox off ' +
            '(`INBOX_ALWAYS_ON`): nothing was changed.',
          ['VALIDATION', 'INBOX_ALWAYS_ON', ...bodyErrorCodes(400)],
          {
            issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
            types: z
              .array(z.string())
              .optional()
              .meta({ description: 'INBOX_ALWAYS_ON: every type, as the inbox must list them.' }),
          },
        ),
        401: unauthenticated,
      },
    },
  },
};
