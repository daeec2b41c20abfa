/**
 * Postgres decides each hold's fate under its order's row lock: the Stripe webhook's conditional update
 * to 'paid' (db/order-payments.ts) and these conditional updates to 'expired' or 'cancelled' take the
 * same lock, and whichever commits first wins. Redis then only carries out what the row says
 * (settle-holds.lua), so a hold is never both sold and released.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { orders } from '../../db/settlement-schema.js';

export const EXPIRED_REASON = 'the hold ended unpaid';

/** What the orders say of some holds. */
export interface HoldFates {
  /** Paid: the hold's units become sold. */
  paid: string[];
  /** Expired, cancelled or refunded: the hold's units go back (to the waitlist, or available). */
  released: string[];
  /** The released holds' units: the fresh ids the waitlist's new holds may need. */
  releasedUnits: number;
}

const ids = (values: readonly string[]) => sql`${sql.param([...values])}::uuid[]`;

/** Orders of holds due by Redis's clock expire, unless a payment got there first. */
export async function expireOrders(db: Database, saleId: string, orderIds: readonly string[]): Promise<void> {
  if (orderIds.length === 0) return;
  await db
    .update(orders)
    .set({ status: 'expired', closedAt: new Date(), statusReason: EXPIRED_REASON })
    .where(
      and(sql`${orders.id} = ANY(${ids(orderIds)})`, eq(orders.saleId, saleId), eq(orders.status, 'awaiting_payment')),
    );
}

/** Every order of the sale still awaiting payment is cancelled: nothing is owed, no strike. */
export async function cancelAwaitingOrders(db: Database, saleId: string, reason: string): Promise<void> {
  await db
    .update(orders)
    .set({ status: 'cancelled', closedAt: new Date(), statusReason: reason })
    .where(and(eq(orders.saleId, saleId), eq(orders.status, 'awaiting_payment')));
}

/**
 * The fate of each hold, from its order's status now. A hold whose order is missing (not copied yet) or
 * still awaiting payment is left out: a later run decides it.
 */
export async function fatesOf(db: Database, saleId: string, orderIds: readonly string[]): Promise<HoldFates> {
  const fates: HoldFates = { paid: [], released: [], releasedUnits: 0 };
  if (orderIds.length === 0) return fates;
  const rows = await db
    .select({ id: orders.id, status: orders.status, quantity: orders.quantity })
    .from(orders)
    .where(and(inArray(orders.id, [...orderIds]), eq(orders.saleId, saleId)));
  for (const row of rows) {
    if (row.status === 'paid') fates.paid.push(row.id);
    else if (row.status !== 'awaiting_payment') {
      fates.released.push(row.id);
      fates.releasedUnits += row.quantity;
    }
  }
  return fates;
}
