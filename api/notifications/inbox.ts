/**
 * A user's inbox: their notifications, newest first, a page at a time (keyset on the increasing id),
 * and marking them read. Only the owner's rows are ever read or changed: another user's id in
 * `ids` is refused as not found, and nothing is marked.
 */
import { and, count, desc, eq, inArray, isNull, lt, lte, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/pool.js';
import { toNotification } from '../../db/notification-rows.js';
import { notifications } from '../../db/schema.js';
import type { Notification } from '../../domain/notifications/types.js';
import { fromOpaque, toOpaque } from '../auctions/cursor.js';
import { AppError } from '../errors.js';

export interface InboxPage {
  items: Notification[];
  nextCursor: string | null;
  unreadCount: number;
}

const cursorWire = z.object({ n: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict();

function decodeCursor(cursor: string): number {
  const parsed = cursorWire.safeParse(fromOpaque(cursor));
  if (!parsed.success) throw new AppError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued');
  return parsed.data.n;
}

export async function unreadCount(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

export async function listInbox(
  db: Database,
  userId: string,
  query: { limit: number; cursor?: string | undefined; unread: boolean },
): Promise<InboxPage> {
  const conditions: SQL[] = [eq(notifications.userId, userId)];
  // An empty cursor is the first page, as on every other list.
  if (query.cursor) conditions.push(lt(notifications.id, decodeCursor(query.cursor)));
  if (query.unread) conditions.push(isNull(notifications.readAt));
  const rows = await db
    .select()
    .from(notifications)
    .where(and(...conditions))
    .orderBy(desc(notifications.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toNotification),
    nextCursor: rows.length > query.limit && last ? toOpaque({ n: last.id }) : null,
    unreadCount: await unreadCount(db, userId),
  };
}

export async function markRead(
  db: Database,
  userId: string,
  body: { upTo: number } | { ids: number[] },
): Promise<{ unreadCount: number }> {
  const mine = eq(notifications.userId, userId);
  const unread = isNull(notifications.readAt);
  if ('upTo' in body) {
    await db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(mine, unread, lte(notifications.id, body.upTo)));
  } else {
    await db.transaction(async (tx) => {
      const ids = [...new Set(body.ids)];
      const found = await tx
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(mine, inArray(notifications.id, ids)));
      if (found.length !== ids.length) {
        const known = new Set(found.map((row) => row.id));
        throw new AppError(404, 'NOT_FOUND', 'notification not found', {
          ids: ids.filter((id) => !known.has(id)),
        });
      }
      await tx
        .update(notifications)
        .set({ readAt: new Date() })
        .where(and(mine, unread, inArray(notifications.id, ids)));
    });
  }
  return { unreadCount: await unreadCount(db, userId) };
}
