/**
 * A user's notification settings, read and written in one place for the API (settings, unsubscribe
 * links) and the activities (mail checks them again at send time). A row exists only once a user
 * changed something; reads fill in the defaults.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database } from './pool.js';
import { notificationSettings } from './schema.js';
import type { EndingSoonMinutes } from '../domain/notifications/ending-soon.js';
import { DEFAULT_SETTINGS, type NotificationSettings } from '../domain/notifications/settings.js';
import type { NotificationType } from '../domain/notifications/types.js';

export async function readSettings(db: Database, userId: string): Promise<NotificationSettings> {
  const [row] = await db.select().from(notificationSettings).where(eq(notificationSettings.userId, userId));
  return {
    channels: {
      live: row?.liveTypes ?? DEFAULT_SETTINGS.channels.live,
      email: row?.emailTypes ?? DEFAULT_SETTINGS.channels.email,
      webhook: row?.webhookTypes ?? DEFAULT_SETTINGS.channels.webhook,
    },
    endingSoonMinutes: (row?.endingSoonMinutes as EndingSoonMinutes | null) ?? DEFAULT_SETTINGS.endingSoonMinutes,
  };
}

/** Stores the whole settings (the row then no longer follows changes to the defaults). */
export async function writeSettings(db: Database, userId: string, settings: NotificationSettings): Promise<void> {
  const values = {
    liveTypes: settings.channels.live,
    emailTypes: settings.channels.email,
    webhookTypes: settings.channels.webhook,
    endingSoonMinutes: settings.endingSoonMinutes,
    updatedAt: new Date(),
  };
  await db
    .insert(notificationSettings)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: notificationSettings.userId, set: values });
}

/**
 * Turns one type off on email, leaving everything else as it is, in one statement (a concurrent change
 * to other settings is not overwritten): what a one-click unsubscribe does.
 */
export async function stopEmailing(db: Database, userId: string, type: NotificationType): Promise<void> {
  const defaults = sql`${sql.param([...DEFAULT_SETTINGS.channels.email])}::text[]`;
  await db.execute(sql`
    INSERT INTO notification_settings (user_id, email_types) VALUES (${userId}, array_remove(${defaults}, ${type}))
    ON CONFLICT (user_id) DO UPDATE
      SET email_types = array_remove(COALESCE(notification_settings.email_types, ${defaults}), ${type}),
          updated_at = now()`);
}
