/**
 * Reading orders: each is visible to its buyer and its seller and to nobody else (anyone else gets the
 * same 404 as for an order that does not exist, so ids reveal nothing).
 */
import { and, desc, eq, or } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { orders } from '../../db/settlement-schema.js';
import { toOrder } from '../../db/settlement-rows.js';
import type { Order } from '../../domain/settlement/order.js';
import { decodeKeyset, encodeKeyset, micros, pastKeyset } from '../auctions/cursor.js';
import { isAuctionId } from '../auctions/ids.js';
import { notFound } from '../errors.js';
import type { MyOrdersQuery } from './schemas.js';

/** The order, if `userId` is its buyer or seller. */
export async function readOrderOf(db: Database, userId: string, orderId: string): Promise<Order> {
  if (!isAuctionId(orderId)) throw notFound('order');
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), or(eq(orders.buyerId, userId), eq(orders.sellerId, userId))));
  if (!row) throw notFound('order');
  return toOrder(row);
}

/** Newest first; a keyset on (created at, id). */
export async function listMyOrders(
  db: Database,
  userId: string,
  query: MyOrdersQuery,
): Promise<{ items: Order[]; nextCursor: string | null }> {
  const createdMicros = micros(orders.createdAt);
  const party = query.role === 'seller' ? eq(orders.sellerId, userId) : eq(orders.buyerId, userId);
  const rows = await db
    .select({ row: orders, createdMicros })
    .from(orders)
    .where(
      and(
        party,
        query.status ? eq(orders.status, query.status) : undefined,
        pastKeyset(decodeKeyset(query.cursor), createdMicros, orders.id),
      ),
    )
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const more = rows.length > query.limit && last;
  return {
    items: page.map(({ row }) => toOrder(row)),
    nextCursor: more ? encodeKeyset({ micros: last.createdMicros, id: last.row.id }) : null,
  };
}
