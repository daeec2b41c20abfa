/**
 * The notification pipeline's tables: the inbox (one row per occurrence per user), what each user
 * watches and wants, and the outboxes that email and webhooks are delivered from. An outbox row is
 * written in the same statement as its inbox row, so a notification is never stored without its
 * deliveries, nor delivered twice for one occurrence.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ENDING_SOON_MINUTES } from '../domain/notifications/ending-soon.js';
import { NOTIFICATION_TYPES, type NotificationData, type NotificationType } from '../domain/notifications/types.js';
import { auctions, users } from './schema.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const typeList = NOTIFICATION_TYPES.map((type) => `'${type}'`).join(', ');

export const notifications = pgTable(
  'notifications',
  {
    /** Increasing: the inbox's order, its cursor, "read up to", and the live stream's event id. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    type: text('type').$type<NotificationType>().notNull(),
    auctionId: uuid('auction_id').references(() => auctions.id),
    data: jsonb('data').$type<NotificationData>().notNull(),
    /** domain/notifications/dedupe-keys.ts: a retried or repeated occurrence inserts nothing. */
    dedupeKey: text('dedupe_key').notNull().unique(),
    createdAt: instant('created_at').notNull().defaultNow(),
    readAt: instant('read_at'),
  },
  (t) => [
    index('notifications_user_id_id_idx').on(t.userId, t.id),
    index('notifications_unread_idx')
      .on(t.userId, t.id)
      .where(sql`${t.readAt} IS NULL`),
    check('notifications_type', sql`${t.type} IN (${sql.raw(typeList)})`),
  ],
);

export const watchlist = pgTable(
  'watchlist',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    auctionId: uuid('auction_id')
      .notNull()
      .references(() => auctions.id),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.auctionId] }),
    index('watchlist_auction_id_idx').on(t.auctionId, t.userId),
  ],
);

/** A row only once a user changed something; null columns mean the defaults (domain/notifications/settings.ts). */
export const notificationSettings = pgTable(
  'notification_settings',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id),
    liveTypes: text('live_types').array().$type<NotificationType[]>(),
    emailTypes: text('email_types').array().$type<NotificationType[]>(),
    webhookTypes: text('webhook_types').array().$type<NotificationType[]>(),
    endingSoonMinutes: integer('ending_soon_minutes'),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check(
      'notification_settings_ending_soon_minutes',
      sql`${t.endingSoonMinutes} IN (${sql.raw(ENDING_SOON_MINUTES.join(', '))})`,
    ),
  ],
);

/** Mail still to send (and sent mail, for a while). The dispatcher takes due rows, sends, and marks them. */
export const emailOutbox = pgTable(
  'email_outbox',
  {
    notificationId: bigint('notification_id', { mode: 'number' })
      .primaryKey()
      .references(() => notifications.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** Copied from the notification, so "was this user mailed about this auction lately" is one index read. */
    auctionId: uuid('auction_id'),
    type: text('type').$type<NotificationType>().notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    /** When the dispatcher may take it (again): now, after a failure's backoff, or after a claim expires. */
    nextAttemptAt: instant('next_attempt_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    sentAt: instant('sent_at'),
    lastError: text('last_error'),
  },
  (t) => [
    index('email_outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.sentAt} IS NULL`),
    index('email_outbox_user_auction_idx').on(t.userId, t.auctionId, t.createdAt),
  ],
);

/** A user's webhook endpoints. The secret signs deliveries (Standard Webhooks); it is shown once, at creation. */
export const webhooks = pgTable(
  'webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    url: text('url').notNull(),
    types: text('types').array().$type<NotificationType[]>().notNull(),
    /** `whsec_` and base64 of the key bytes, as Standard Webhooks writes it. */
    secret: text('secret').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    /** Deleted webhooks keep their rows (their deliveries point at them) but receive nothing more. */
    deletedAt: instant('deleted_at'),
  },
  (t) => [index('webhooks_user_id_idx').on(t.userId)],
);

/**
 * One notification to one webhook: its id is the `webhook-id` every attempt carries, so a receiver can
 * dedupe retries. Delivered on the first 2xx; given up (`failedAt`) once the retry period has passed.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id),
    notificationId: bigint('notification_id', { mode: 'number' })
      .notNull()
      .references(() => notifications.id),
    createdAt: instant('created_at').notNull().defaultNow(),
    nextAttemptAt: instant('next_attempt_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    deliveredAt: instant('delivered_at'),
    failedAt: instant('failed_at'),
  },
  (t) => [
    index('webhook_deliveries_webhook_id_idx').on(t.webhookId, t.createdAt),
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.deliveredAt} IS NULL AND ${t.failedAt} IS NULL`),
    // One delivery per notification per webhook, however often the fan-out is retried.
    uniqueIndex('webhook_deliveries_once_idx').on(t.notificationId, t.webhookId),
  ],
);

/** Every attempt of a delivery and what the receiver answered (shown to the webhook's owner). */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id),
    attempt: integer('attempt').notNull(),
    attemptedAt: instant('attempted_at').notNull().defaultNow(),
    /** Null when no HTTP answer came (refused, timed out, the address not allowed). */
    status: integer('status'),
    /** The first bytes of the answer, or why there was none. */
    response: text('response').notNull(),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);
