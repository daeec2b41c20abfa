/** A notifications row as every channel presents it (the inbox, the live stream, mail, webhooks). */
import type { Notification } from '../domain/notifications/types.js';
import type { notifications } from './notifications-schema.js';

export const toNotification = (
  row: Pick<typeof notifications.$inferSelect, 'id' | 'type' | 'auctionId' | 'data' | 'createdAt' | 'readAt'>,
): Notification => ({
  id: row.id,
  type: row.type,
  auctionId: row.auctionId,
  data: row.data,
  createdAt: row.createdAt.toISOString(),
  readAt: row.readAt?.toISOString() ?? null,
});
