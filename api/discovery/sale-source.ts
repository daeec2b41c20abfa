/**
 * What the listing read model reads of the flash sales in Postgres (postgres-source.ts does the
 * auctions): every kept sale at start, the rows changed since the last look on every reconcile, rows
 * named by feed notes, and the matches of a full-text search. Sales are few next to auctions (a flash
 * sale is an event), so their search needs no index of its own: no migration, an unindexed scan of the
 * live and lately ended sales.
 */
import { and, asc, eq, gt, gte, inArray, isNull, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { sales } from '../../db/sales-schema.js';
import type { SalePhase } from '../../domain/sales/sale.js';
import type { SearchScope } from './postgres-source.js';

const FINAL_PHASES: SalePhase[] = ['closed', 'cancelled'];

/** What moves: the phase and the counts the sale workflow last copied from Redis. */
const saleStateColumns = {
  id: sales.id,
  phase: sales.phase,
  available: sales.available,
};

const saleListingColumns = {
  ...saleStateColumns,
  sellerId: sales.sellerId,
  category: sales.category,
  title: sales.title,
  description: sales.description,
  currency: sales.currency,
  price: sales.price,
  stock: sales.stock,
  holdSeconds: sales.holdSeconds,
  startsAt: sales.startsAt,
  endsAt: sales.endsAt,
  createdAt: sales.createdAt,
  updatedAt: sales.updatedAt,
};

export type SaleStateRow = Pick<typeof sales.$inferSelect, keyof typeof saleStateColumns>;
export type SaleListingRow = Pick<typeof sales.$inferSelect, keyof typeof saleListingColumns>;

/**
 * The sales the listing keeps (retention.ts). A sale with an end goes by its end, as an auction does,
 * whatever its phase: one sold out entirely finishes before its end and is never closed, so its row
 * stays open. A sale without an end is kept while units are available, and then until its last change
 * (when it sold out, or was cancelled) is older than `keptFrom`.
 */
const keptSince = (keptFrom: Date): SQL | undefined =>
  or(
    gte(sales.endsAt, keptFrom),
    and(isNull(sales.endsAt), notInArray(sales.phase, FINAL_PHASES), gt(sales.available, 0)),
    and(isNull(sales.endsAt), gte(sales.updatedAt, keptFrom)),
  );

/** Every kept sale, in batches by id (as allRows does for auctions). */
export async function* allSaleRows(db: Database, keptFrom: Date, batchSize = 5000): AsyncGenerator<SaleListingRow[]> {
  let afterId: string | null = null;
  for (;;) {
    const batch: SaleListingRow[] = await db
      .select(saleListingColumns)
      .from(sales)
      .where(and(keptSince(keptFrom), afterId === null ? undefined : gt(sales.id, afterId)))
      .orderBy(asc(sales.id))
      .limit(batchSize);
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    afterId = batch[batch.length - 1]!.id;
  }
}

/** The state of the sales changed since `since` (by updated_at), in (updated_at, id) batches. */
export async function* saleRowsChangedSince(
  db: Database,
  since: Date,
  batchSize = 500,
): AsyncGenerator<SaleStateRow[]> {
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const position: SQL | undefined =
      after === null
        ? undefined
        : sql`(${sales.updatedAt}, ${sales.id}) > (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`;
    const batch: (SaleStateRow & { updatedAt: Date })[] = await db
      .select({ ...saleStateColumns, updatedAt: sales.updatedAt })
      .from(sales)
      .where(and(gt(sales.updatedAt, since), position))
      .orderBy(asc(sales.updatedAt), asc(sales.id))
      .limit(batchSize);
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    const last = batch[batch.length - 1]!;
    after = { at: last.updatedAt, id: last.id };
  }
}

export function saleRowsByIds(db: Database, ids: string[]): Promise<SaleListingRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select(saleListingColumns).from(sales).where(inArray(sales.id, ids));
}

/** Which of these sales still exist (a creation undone deletes its row). */
export async function existingSaleIds(db: Database, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: sales.id }).from(sales).where(inArray(sales.id, ids));
  return new Set(rows.map((row) => row.id));
}

/**
 * The ids of the sales whose title or description match `q` (the same web-search syntax as the
 * auctions' search), at most `cap` + 1. Ended sales no longer listed are left out, as for auctions.
 */
export async function searchSaleMatches(db: Database, q: string, scope: SearchScope, cap: number): Promise<string[]> {
  const conditions: (SQL | undefined)[] = [
    sql`to_tsvector('english', ${sales.title} || ' ' || ${sales.description}) @@ websearch_to_tsquery('english', ${q})`,
    keptSince(scope.endingAfter),
  ];
  if (scope.sellerId) conditions.push(eq(sales.sellerId, scope.sellerId));
  if (scope.category) conditions.push(eq(sales.category, scope.category));
  const rows = await db
    .select({ id: sales.id })
    .from(sales)
    .where(and(...conditions))
    .limit(cap + 1);
  return rows.map((row) => row.id);
}
