/** Rows the tests need, written through drizzle like the app writes them. */
import type { Database } from '../../db/pool.js';
import { auctions, users } from '../../db/schema.js';

let counter = 0;

export async function insertUser(db: Database, name = `user${++counter}`) {
  const [user] = await db
    .insert(users)
    .values({ email: `${name}-${Date.now()}@example.test`, displayName: name, passwordHash: null })
    .returning();
  return user!;
}

export async function insertAuction(db: Database, sellerId: string, startsAt: Date, endsAt: Date) {
  const [auction] = await db
    .insert(auctions)
    .values({ sellerId, title: 'A test lot', startingPrice: 1000, startsAt, endsAt })
    .returning();
  return auction!;
}
