/**
 * The one way a notification comes to be. For each recipient row it stores the inbox row (once per
 * dedupe key: a retry or a repeated occurrence inserts nothing) and, in the same statement, the email
 * and webhook deliveries the user's settings and webhooks ask for; then it publishes what was new on
 * each user's live channel. The statement is atomic, so a crash leaves either the notification with all
 * its deliveries or nothing, and the retry then writes them once. The live message is best effort: a
 * stream that missed it (a crash between the commit and the publish) gets it from the inbox when its
 * client reconnects with Last-Event-ID.
 */
import { sql, type SQL } from 'drizzle-orm';
import { publish } from '../../config/redis-pubsub.js';
import type { RedisClient } from '../../config/redis.js';
import type { Database } from '../../db/pool.js';
import { userNotificationsChannel } from '../../domain/notifications/live-channel.js';
import { DEFAULT_SETTINGS, OUTBID_EMAIL_QUIET_MINUTES } from '../../domain/notifications/settings.js';
import type {
  Notification,
  NotificationData,
  NotificationDraft,
  NotificationType,
} from '../../domain/notifications/types.js';

/** Publishes at most this many at once: a fan-out to thousands must not flood the Redis connection. */
const PUBLISH_CHUNK = 500;

/** One parameter holding the whole list (drizzle would otherwise spread an array into many). */
const textArray = (values: readonly string[]) => sql`${sql.param([...values])}::text[]`;

interface InsertedRow extends Record<string, unknown> {
  id: string;
  user_id: string;
  type: NotificationType;
  auction_id: string | null;
  data: NotificationData;
  created_at: Date | string;
  live: boolean;
}

export interface StoredNotification {
  userId: string;
  notification: Notification;
  /** The user's settings carry this type on live streams. */
  live: boolean;
}

export class NotificationPipeline {
  constructor(
    private readonly db: Database,
    private readonly redis: RedisClient,
  ) {}

  /**
   * `recipients` is a query yielding (user_id uuid, type text, auction_id uuid, dedupe_key text, data
   * jsonb). Deleted accounts are skipped. Returns the notifications that were new.
   */
  async deliver(recipients: SQL): Promise<StoredNotification[]> {
    const result = await this.db.execute<InsertedRow>(sql`
      WITH recipients AS (${recipients}),
      inserted AS (
        INSERT INTO notifications (user_id, type, auction_id, data, dedupe_key)
        SELECT r.user_id, r.type, r.auction_id, r.data, r.dedupe_key
          FROM recipients r JOIN users u ON u.id = r.user_id AND u.deleted_at IS NULL
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING id, user_id, type, auction_id, data, created_at
      ),
      with_settings AS (
        SELECT i.*, s.live_types, s.email_types, s.webhook_types
          FROM inserted i LEFT JOIN notification_settings s ON s.user_id = i.user_id
      ),
      mailable AS (
        SELECT * FROM with_settings WHERE type = ANY(COALESCE(email_types, ${textArray(DEFAULT_SETTINGS.channels.email)}))
      ),
      mail AS (
        INSERT INTO email_outbox (notification_id, user_id, auction_id, type)
        SELECT id, user_id, auction_id, type FROM mailable WHERE type <> 'outbid'
        UNION ALL
        -- Outbids: one mail per user per auction per quiet period (the first of a batch).
        (SELECT DISTINCT ON (user_id, auction_id) id, user_id, auction_id, type FROM mailable n
          WHERE type = 'outbid' AND NOT EXISTS (
            SELECT 1 FROM email_outbox o
             WHERE o.user_id = n.user_id AND o.auction_id = n.auction_id AND o.type = 'outbid'
               AND o.created_at > now() - make_interval(mins => ${OUTBID_EMAIL_QUIET_MINUTES}))
          ORDER BY user_id, auction_id, id)
      ),
      hooks AS (
        INSERT INTO webhook_deliveries (webhook_id, notification_id)
        SELECT w.id, n.id FROM with_settings n
          JOIN webhooks w ON w.user_id = n.user_id AND w.deleted_at IS NULL AND n.type = ANY(w.types)
         WHERE n.type = ANY(COALESCE(n.webhook_types, ${textArray(DEFAULT_SETTINGS.channels.webhook)}))
        ON CONFLICT DO NOTHING
      )
      SELECT id, user_id, type, auction_id, data, created_at,
             type = ANY(COALESCE(live_types, ${textArray(DEFAULT_SETTINGS.channels.live)})) AS live
        FROM with_settings ORDER BY id`);
    const stored = result.rows.map(toStored);
    await this.publishLive(stored.filter((s) => s.live));
    return stored;
  }

  /** Stores a few known drafts (one per recipient), as deliver() does. */
  async deliverDrafts(drafts: readonly NotificationDraft[]): Promise<StoredNotification[]> {
    if (drafts.length === 0) return [];
    const rows = drafts.map(
      (d) =>
        sql`(${d.userId}::uuid, ${d.type}::text, ${d.auctionId}::uuid, ${d.dedupeKey}::text, ${JSON.stringify(d.data)}::jsonb)`,
    );
    return this.deliver(
      sql`SELECT * FROM (VALUES ${sql.join(rows, sql`, `)}) AS r(user_id, type, auction_id, dedupe_key, data)`,
    );
  }

  private async publishLive(stored: StoredNotification[]): Promise<void> {
    for (let i = 0; i < stored.length; i += PUBLISH_CHUNK) {
      await Promise.all(
        stored
          .slice(i, i + PUBLISH_CHUNK)
          .map((s) => publish(this.redis, userNotificationsChannel(s.userId), JSON.stringify(s.notification))),
      );
    }
  }
}

function toStored(row: InsertedRow): StoredNotification {
  return {
    userId: row.user_id,
    live: row.live,
    notification: {
      id: Number(row.id),
      type: row.type,
      auctionId: row.auction_id,
      data: row.data,
      createdAt: new Date(row.created_at).toISOString(),
      readAt: null,
    },
  };
}
