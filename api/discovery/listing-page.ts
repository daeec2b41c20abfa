/**
 * GET /v1/auctions: one page of auctions and flash sales, from the read model. A first page reads the model as it is (its
 * snapshot: the model's feed version, and the wall time); the cursor carries that snapshot to the next
 * pages, so a traversal reads one consistent order (docs/decisions.md, "Discovery"). Only a full-text
 * search (`q`) asks Postgres, for the ids that match; order and filters are applied in memory either way.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../../db/pool.js';
import { decodeCursor, encodeCursor } from '../auctions/cursor.js';
import type { ListAuctionsQuery } from '../auctions/schemas.js';
import { AppError } from '../errors.js';
import { DependencyUnavailable } from '../unavailable.js';
import type { FeedReader } from './feed-reader.js';
import type { FirstPageCache } from './first-pages.js';
import { readPage, type Position } from './listing-query.js';
import { searchMatches } from './postgres-source.js';
import { searchSaleMatches } from './sale-source.js';
import type { ItemJsonCache } from './item-json.js';
import type { ListingReadModel } from './read-model.js';
import { listedEndingAfterMs } from './retention.js';

/** A cursor from a clock this far ahead of ours is not one we issued. */
const CLOCK_SKEW_MS = 60_000;
/** How long a next page waits for this process to apply the feed as far as the process that issued its cursor. */
const CATCH_UP_WAIT_MS = 1000;

export interface ListingPageDeps {
  model: ListingReadModel;
  itemJson: ItemJsonCache;
  firstPages: FirstPageCache;
  feed: FeedReader;
  db: Database;
  isReady: () => boolean;
  cursorTtlMs: number;
  endedListedMs: number;
  searchMaxMatches: number;
}

interface Snapshot {
  asOf: number;
  atMs: number;
  after?: Position | undefined;
}

/** The page as JSON text: the ListingPage of api/auctions/responses.ts, assembled from its items' cached JSON. */
export async function listingPage(deps: ListingPageDeps, query: ListAuctionsQuery): Promise<string> {
  if (!deps.isReady()) throw new DependencyUnavailable('the listing read model is still loading');
  const digest = queryDigest(query);
  const nowMs = Date.now();
  const generation = deps.model.generation;
  const cacheKey = query.cursor || query.q !== undefined ? null : `${digest}/${query.limit}`;
  const cached = cacheKey === null ? null : deps.firstPages.get(cacheKey, generation, nowMs);
  if (cached !== null) return cached;
  const snapshot: Snapshot = query.cursor
    ? await resume(deps, decodeCursor(query.cursor, digest), nowMs)
    : { asOf: deps.model.version, atMs: nowMs };
  // Ended auctions are listed for endedListedMs after their end, as of the traversal's first page.
  const listedAfterMs = listedEndingAfterMs(snapshot.atMs, deps.endedListedMs);
  const endingAfterMs = Math.max(query.endingAfter?.getTime() ?? -Infinity, listedAfterMs);
  const ids = query.q === undefined ? undefined : await searchIds(deps, query.q, query, new Date(listedAfterMs));
  const page = readPage(deps.model, {
    sort: query.sort,
    limit: query.limit,
    ...snapshot,
    filter: {
      kind: query.kind,
      status: query.status,
      sellerId: query.sellerId,
      category: query.category,
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      endingBeforeMs: query.endingBefore?.getTime(),
      endingAfterMs,
      ids,
    },
  });
  const items = page.items.map((item) => deps.itemJson.jsonOf(deps.model.get(item.id)!, nowMs));
  const nextCursor =
    page.next && encodeCursor({ query: digest, asOf: snapshot.asOf, atMs: snapshot.atMs, ...page.next });
  const body = `{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
  // Only if nothing changed while a search was awaited (none is, on a cacheable page: belt and braces).
  if (cacheKey !== null && deps.model.generation === generation) deps.firstPages.set(cacheKey, generation, nowMs, body);
  return body;
}

async function resume(
  deps: ListingPageDeps,
  cursor: ReturnType<typeof decodeCursor>,
  nowMs: number,
): Promise<Snapshot> {
  if (cursor.atMs < nowMs - deps.cursorTtlMs) {
    throw new AppError(400, 'CURSOR_EXPIRED', 'The cursor has expired: start again from the first page');
  }
  if (cursor.atMs > nowMs + CLOCK_SKEW_MS || cursor.asOf / 1000 > nowMs + CLOCK_SKEW_MS) {
    throw new AppError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued for this query');
  }
  // Issued by a process a moment ahead of this one in the feed (behind a load balancer): catch up first.
  if (cursor.asOf > deps.model.version) await deps.feed.waitFor(cursor.asOf, CATCH_UP_WAIT_MS);
  return { asOf: cursor.asOf, atMs: cursor.atMs, after: { key: cursor.key, id: cursor.id } };
}

async function searchIds(
  deps: ListingPageDeps,
  q: string,
  query: ListAuctionsQuery,
  endingAfter: Date,
): Promise<Set<string>> {
  const scope = { sellerId: query.sellerId, category: query.category, endingAfter };
  const [auctionIds, saleIds] = await Promise.all([
    query.kind === 'sale' ? [] : searchMatches(deps.db, q, scope, deps.searchMaxMatches),
    query.kind === 'auction' ? [] : searchSaleMatches(deps.db, q, scope, deps.searchMaxMatches),
  ]);
  const ids = [...auctionIds, ...saleIds];
  if (ids.length > deps.searchMaxMatches) {
    throw new AppError(
      400,
      'SEARCH_TOO_BROAD',
      `More than ${deps.searchMaxMatches} auctions match: add words, a category or a seller`,
    );
  }
  return new Set(ids);
}

/** What a cursor is bound to: every parameter but the page size and the cursor itself. */
function queryDigest(query: ListAuctionsQuery): string {
  const set = Object.entries(query).filter(
    ([name, value]) => name !== 'limit' && name !== 'cursor' && value !== undefined,
  );
  const canonical = JSON.stringify(set.sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}
