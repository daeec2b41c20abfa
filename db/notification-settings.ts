/**
 * Notification settings in Postgres (notification_settings), read and written in this one place: a row
 * only once a user changed something, and a null column means that setting's default
 * (domain/notifications/settings.ts). Used by the settings routes, the unsubscribe link, and the mail
 * sender (which checks them again at send time).
 */
import { eq, sql } from 'drizzle-orm';
import type { Database } from './pool.js';
import { notificationSettings } from './schema.js';
import { ENDING_SOON_MINUTES, type EndingSoonMinutes } from '../domain/notifications/ending-soon.js';
import { DEFAULT_SETTINGS, type NotificationSettings } from '../domain/notifications/settings.js';
import {
  NOTIFICATION_TYPES,
  OPTIONAL_CHANNELS,
  type NotificationType,
  type OptionalChannel,
} from '../domain/notifications/types.js';

type Row = typeof notificationSettings.$inferSelect;
type Executor = Pick<Database, 'select' | 'insert'>;

const COLUMN = { live: 'liveTypes', email: 'emailTypes', webhook: 'webhookTypes' } as const satisfies Record<
  OptionalChannel,
  keyof Row
>;

/** What to change; what is absent stays as it was. A whole NotificationSettings is a change too. */
export interface SettingsChange {
  channels?: Partial<Record<OptionalChannel, readonly NotificationType[]>>;
  endingSoonMinutes?: EndingSoonMinutes;
}

/** Each type once, in the one order the API shows them; anything not a type (any more) is dropped. */
const canonical = (types: readonly string[]): NotificationType[] =>
  NOTIFICATION_TYPES.filter((type) => types.includes(type));

const isEndingSoonMinutes = (value: number): value is EndingSoonMinutes =>
  (ENDING_SOON_MINUTES as readonly number[]).includes(value);

function settingsOf(row: Row | undefined): NotificationSettings {
  const channels = Object.fromEntries(
    OPTIONAL_CHANNELS.map((channel) => {
      const stored = row?.[COLUMN[channel]];
      return [channel, stored ? canonical(stored) : [...DEFAULT_SETTINGS.channels[channel]]];
    }),
  ) as NotificationSettings['channels'];
  const minutes = row?.endingSoonMinutes;
  return {
    channels,
    endingSoonMinutes: minutes != null && isEndingSoonMinutes(minutes) ? minutes : DEFAULT_SETTINGS.endingSoonMinutes,
  };
}

/** The user's settings: the defaults for whatever they never changed. */
export async function readSettings(db: Executor, userId: string): Promise<NotificationSettings> {
  const [row] = await db.select().from(notificationSettings).where(eq(notificationSettings.userId, userId));
  return settingsOf(row);
}

/** Writes what `change` names, in one upsert (the rest keeps its stored value or default); returns the result. */
export async function writeSettings(
  db: Executor,
  userId: string,
  change: SettingsChange,
): Promise<NotificationSettings> {
  const values: Partial<Row> = {};
  for (const channel of OPTIONAL_CHANNELS) {
    const types = change.channels?.[channel];
    if (types) values[COLUMN[channel]] = canonical(types);
  }
  if (change.endingSoonMinutes !== undefined) values.endingSoonMinutes = change.endingSoonMinutes;
  const [row] = await db
    .insert(notificationSettings)
    .values({ ...values, userId })
    .onConflictDoUpdate({ target: notificationSettings.userId, set: { ...values, updatedAt: sql`now()` } })
    .returning();
  return settingsOf(row);
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
