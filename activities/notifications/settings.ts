/** A user's notification settings as stored (a row only once they changed something), with the defaults filled in. */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { notificationSettings } from '../../db/schema.js';
import type { EndingSoonMinutes } from '../../domain/notifications/ending-soon.js';
import { DEFAULT_SETTINGS, type NotificationSettings } from '../../domain/notifications/settings.js';

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
