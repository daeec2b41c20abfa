/** Request and response shapes of the inbox and the live stream (zod; the OpenAPI document is generated from them). */
import { z } from 'zod';
import { pageQuery } from '../auctions/schemas.js';
import { NOTIFICATION_TYPES } from '../../domain/notifications/types.js';

const notificationId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const inboxQuery = pageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .meta({ description: 'true: only notifications not yet read.' }),
});

export const markReadBody = z
  .union([
    z.object({ upTo: notificationId }).strict(),
    z.object({ ids: z.array(notificationId).min(1).max(100) }).strict(),
  ])
  .meta({
    id: 'MarkNotificationsReadRequest',
    description: '`upTo`: every notification of yours up to and including this id; `ids`: exactly these (all yours).',
  });

export const notificationSchema = z
  .object({
    id: z.number().int().meta({ description: 'Increasing; also the live stream event id.' }),
    type: z.enum(NOTIFICATION_TYPES),
    auctionId: z.uuid().nullable(),
    data: z.looseObject({ title: z.string() }).meta({
      description:
        'What you need to act: title, and as the type has them currentPrice, minimumNextBid, currency, endsAt, ' +
        'outcome, finalPrice, winnerId, minutesLeft, reason. Money is integer minor units.',
    }),
    createdAt: z.iso.datetime(),
    readAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Notification' });

export const inboxPage = z
  .object({
    items: z.array(notificationSchema),
    nextCursor: z.string().nullable(),
    unreadCount: z.int().min(0),
  })
  .meta({ id: 'NotificationPage' });

export const markedRead = z.object({ unreadCount: z.int().min(0) }).meta({ id: 'MarkedRead' });

export const streamTicket = z
  .object({
    ticket: z.string().meta({ description: 'Pass as ?ticket= to GET /v1/users/me/events, once, within expiresAt.' }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'StreamTicket' });

export const userEventsQuery = z.object({
  ticket: z.string().max(100).optional().meta({
    description: 'A ticket from POST /v1/users/me/events/ticket (for EventSource, which cannot send headers).',
  }),
});

export const notificationLastEventId = z
  .string()
  .transform((value) => (/^\d{1,15}$/.test(value) ? Number(value) : null))
  .meta({ description: 'Resume after this notification id: the ones missed since are sent first.' });
