/**
 * GET and PUT /v1/users/me/notification-settings: the stored settings (db/notification-settings.ts) on the wire,
 * where the inbox shows too, carrying every type: it cannot be turned off, only be stated in full.
 */
import type { Database } from '../../db/pool.js';
import type { NotificationSettings } from '../../domain/notifications/settings.js';
import { NOTIFICATION_TYPES } from '../../domain/notifications/types.js';
import { AppError } from '../errors.js';
import type { NotificationSettingsJson } from './responses.js';
import type { NotificationSettingsBody } from './schemas.js';
import { readSettings, writeSettings } from '../../db/notification-settings.js';

const present = (settings: NotificationSettings): NotificationSettingsJson => ({
  channels: { inbox: [...NOTIFICATION_TYPES], ...settings.channels },
  endingSoonMinutes: settings.endingSoonMinutes,
});

export const getNotificationSettings = async (db: Database, userId: string) => present(await readSettings(db, userId));

/** The body is valid by its schema (each list a set of known types); the inbox, if given, must be all of them. */
export async function putNotificationSettings(db: Database, userId: string, body: NotificationSettingsBody) {
  const { inbox, ...optional } = body.channels ?? {};
  if (inbox && inbox.length !== NOTIFICATION_TYPES.length) {
    throw new AppError(400, 'INBOX_ALWAYS_ON', 'The inbox carries every notification type; it cannot be turned off', {
      types: [...NOTIFICATION_TYPES],
    });
  }
  return present(await writeSettings(db, userId, { channels: optional, endingSoonMinutes: body.endingSoonMinutes }));
}
