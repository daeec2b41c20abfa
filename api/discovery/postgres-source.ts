/**
 * What the listing read model reads from Postgres: everything once at start, the rows changed since
 * its last look on every reconcile, rows named by feed notes, and the matches of a full-text search.
 * Never on the path of a listing without `q`.
 */
import { and, asc, eq, gt, gte, inArray, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { auctions } from '../../db/schema.js';
import type { AuctionStatus } from '../../domain/auction-status.js';
import type { AuctionCategory } from '../../domain/categories.js';

/** Closed and cancelled: the statuses that let an auction leave the listing once it ended long enough ago. */
const FINAL_STATUSES: AuctionStatus[] = ['closed', 'cancelled'];

/** What moves, and what it takes to show it (the reconcile reads only these for auctions it knows). */
const stateColumns = {
  id: auctions.id,
  status: auctions.status,
  outcome: auctions.outcome,
  winnerId: auctions.winnerId,
  finalPrice: auctions.finalPrice,
  orderId: auctions.orderId,
  bidCount: auctions.bidCount,
  biddingSeq: auctions.biddingSeq,
  currentPrice: auctions.currentPrice,
  leaderAlias: auctions.leaderAlias,
  endsAt: auctions.endsAt,
  startingPrice: auctions.startingPrice,
  reservePrice: auctions.reservePrice,
};

/** The columns a listing needs (not the search vector, nor the reserve: only whether it is met). */
const listingColumns = {
  ...stateColumns,
  sellerId: auctions.sellerId,
  category: auctions.category,
  title: auctions.title,
  description: auctions.description,
  currency: auctions.currency,
  buyNowPrice: auctions.buyNowPrice,
  startsAt: auctions.startsAt,
  createdAt: auctions.createdAt,
  paymentWindowSeconds: auctions.paymentWindowSeconds,
  buyersPremiumBps: auctions.buyersPremiumBps,
  autoSecondChance: auctions.autoSecondChance,
};

export type StateRow = Pick<typeof auctions.$inferSelect, keyof typeof stateColumns>;
export type ListingRow = Pick<typeof auctions.$inferSelect, keyof typeof listingColumns>;

/**
 * Every auction the listing keeps (live, or ended at or after `keptFrom`: retention.ts), in batches
 * (by id), so a large table is never held twice in memory at once.
 */
export async function* allRows(db: Database, keptFrom: Date, batchSize = 5000): AsyncGenerator<ListingRow[]> {
  const kept = or(notInArray(auctions.status, FINAL_STATUSES), gte(auctions.endsAt, keptFrom));
  let afterId: string | null = null;
  for (;;) {
    const batch: ListingRow[] = await db
      .select(listingColumns)
      .from(auctions)
      .where(and(kept, afterId === null ? undefined : gt(auctions.id, afterId)))
      .orderBy(asc(auctions.id))
      .limit(batchSize);
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    afterId = batch[batch.length - 1]!.id;
  }
}

/**
 * The state of the rows changed since `since` (by updated_at), in batches in (updated_at, id) order,
 * so a reconcile never holds the event loop for long (a whole row, with its text and four timestamps,
 * costs ~40 µs to parse and map; these columns a third of that). A row changed again during the scan
 * moves later and is read again (harmless); none is skipped.
 */
export async function* rowsChangedSince(db: Database, since: Date, batchSize = 500): AsyncGenerator<StateRow[]> {
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const position: SQL | undefined =
      after === null
        ? undefined
        : sql`(${auctions.updatedAt}, ${auctions.id}) > (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`;
    const batch: (StateRow & { updatedAt: Date })[] = await db
      .select({ ...stateColumns, updatedAt: auctions.updatedAt })
      .from(auctions)
      .where(and(gt(auctions.updatedAt, since), position))
      .orderBy(asc(auctions.updatedAt), asc(auctions.id))
      .limit(batchSize);
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    const last = batch[batch.length - 1]!;
    after = { at: last.updatedAt, id: last.id };
  }
}

/** Which of these auctions still exist. */
export async function existingIds(db: Database, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: auctions.id }).from(auctions).where(inArray(auctions.id, ids));
  return new Set(rows.map((row) => row.id));
}

export function rowsByIds(db: Database, ids: string[]): Promise<ListingRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select(listingColumns).from(auctions).where(inArray(auctions.id, ids));
}

export interface SearchScope {
  sellerId?: string | undefined;
  category?: AuctionCategory | undefined;
  /** Only auctions ending after this: those still listed (retention.ts). */
  endingAfter: Date;
}

/**
 * The ids of the auctions whose title or description match `q` (web-search syntax: words, "quoted
 * phrases", -exclusions, OR), at most `cap` + 1 of them, so the caller can tell there were more.
 * websearch_to_tsquery accepts any text without a syntax error, so a client's query cannot fail it.
 */
export async function searchMatches(db: Database, q: string, scope: SearchScope, cap: number): Promise<string[]> {
  const conditions: SQL[] = [sql`${auctions.search} @@ websearch_to_tsquery('english', ${q})`];
  if (scope.sellerId) conditions.push(eq(auctions.sellerId, scope.sellerId));
  if (scope.category) conditions.push(eq(auctions.category, scope.category));
  // Ended auctions no longer listed do not count against the cap either.
  conditions.push(gt(auctions.endsAt, scope.endingAfter));
  const rows = await db
    .select({ id: auctions.id })
    .from(auctions)
    .where(and(...conditions))
    .limit(cap + 1);
  return rows.map((row) => row.id);
}
