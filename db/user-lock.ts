/**
 * Per-user caps (a watchlist's 1,000 auctions, 10 webhooks) are counted and then inserted: two requests
 * at once would both pass the count. Locking the user's row first, inside the transaction, serialises
 * one user's requests (and only theirs). NO KEY UPDATE leaves alone the key-share locks that inserts of
 * rows pointing at the user (bids, auctions) take, so those are never held up by it.
 */
import { eq } from 'drizzle-orm';
import type { Database } from './pool.js';
import { users } from './schema.js';

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export async function lockUserForCount(tx: Transaction, userId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('no key update');
}
