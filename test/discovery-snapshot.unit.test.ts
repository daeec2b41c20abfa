/**
 * The listing read model's own logic, without a stack: the sorted index against a plain sorted array,
 * and the snapshot pagination against its definition. A traversal's pages, read while random bids,
 * new auctions and status changes land between them, must concatenate to exactly the listing as it
 * stood at the first page: same auctions, same order, none twice, none missing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { statusAt } from '../domain/auction-status.js';
import type { BiddingState } from '../domain/bidding.js';
import { AUCTION_CATEGORIES } from '../domain/categories.js';
import { decideBid } from '../domain/proxy-bidding.js';
import { reserveMet, reserveMetByPrice } from '../domain/public-bid-state.js';
import { readPage, type ListingFilter, type Position } from '../api/discovery/listing-query.js';
import { stateOf, type Listed } from '../api/discovery/listing-record.js';
import { ListingReadModel } from '../api/discovery/read-model.js';
import { SortedList } from '../api/discovery/sorted-list.js';
import { SORTS, SORT_ORDERS, type SortName } from '../api/discovery/sort-orders.js';

function visited<T>(list: SortedList<T>, direction: 1 | -1, bound: (item: T) => number): T[] {
  const items: T[] = [];
  list.forEach(direction, bound, (item) => items.push(item) > 0);
  return items;
}

describe('the sorted index', () => {
  test('when items are inserted and deleted at random, then every walk from any bound matches a sorted array', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 60 })), { maxLength: 3000 }),
        fc.integer({ min: -1, max: 61 }),
        (operations, bound) => {
          const list = new SortedList<{ v: number }>((a, b) => a.v - b.v);
          const reference: { v: number }[] = [];
          for (const [insert, v] of operations) {
            const existing = reference.find((item) => item.v === v);
            if (insert && !existing) {
              const item = { v };
              list.insert(item);
              reference.push(item);
            } else if (!insert && existing) {
              assert.equal(list.delete(existing), true);
              reference.splice(reference.indexOf(existing), 1);
            }
          }
          reference.sort((a, b) => a.v - b.v);
          const values = (items: Iterable<{ v: number }>) => [...items].map((item) => item.v);
          assert.equal(list.size, reference.length);
          assert.deepEqual(values(list.toArray(1)), values(reference));
          assert.deepEqual(values(list.toArray(-1)), values(reference).reverse());
          const probe = (item: { v: number }) => item.v - bound;
          assert.deepEqual(
            values(visited(list, 1, probe)),
            values(reference).filter((v) => v > bound),
          );
          assert.deepEqual(
            values(visited(list, -1, probe)),
            values(reference)
              .filter((v) => v < bound)
              .reverse(),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('reserveMetByPrice', () => {
  test('when random bids are decided, then the price alone tells whether the reserve is met', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 5000 }),
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 1, max: 20_000 })), { maxLength: 30 }),
        (reserve, bids) => {
          const rules = {
            sellerId: 's',
            startingPrice: 100,
            reservePrice: reserve,
            buyNowPrice: null,
            softCloseWindowMs: 0,
            softCloseExtendMs: 0,
          };
          let state: BiddingState = {
            status: 'open',
            startsAtMs: 0,
            endsAtMs: 10,
            price: 100,
            leaderId: null,
            leaderMax: null,
            seq: 0,
            bidCount: 0,
          };
          for (const [bidderId, amount] of bids) {
            state = decideBid(state, rules, { bidderId, amount, buyNow: false, nowMs: 1 }).next;
            assert.equal(reserveMetByPrice(state, rules), reserveMet(state, rules));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

const NOW = 1_000_000;
let version = 0;

function addAuction(model: ListingReadModel, seed: number, addedAt: number) {
  const price = 100 + (seed % 7) * 50;
  return model.add(
    {
      id: randomUUID(),
      sellerId: `seller-${seed % 3}`,
      category: AUCTION_CATEGORIES[seed % 3]!,
      startsAtMs: seed % 5 === 0 ? NOW + 60_000 : NOW - 60_000,
      createdAtMs: NOW - 100_000 + (seed % 11) * 1000,
      title: `lot ${seed}`,
      description: '',
      currency: 'USD',
      startingPrice: price,
      buyNowPrice: null,
      paymentWindowSeconds: 3600,
      buyersPremiumBps: 0,
      autoSecondChance: false,
      kind: 'auction' as const,
      stock: 1,
    },
    {
      seq: 0,
      price,
      bidCount: 0,
      leaderAlias: null,
      minimumNextBid: price,
      reserveMet: true,
      endsAtMs: NOW + 600_000 + (seed % 13) * 1000,
    },
    seed % 9 === 0 ? 'closed' : seed % 5 === 0 ? 'scheduled' : 'open',
    null,
    addedAt,
  );
}

/** A change between two pages: what the feed could bring. */
const change = fc.oneof(
  fc.record({ kind: fc.constant('bid' as const), pick: fc.nat(), raise: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('create' as const), seed: fc.nat() }),
  fc.record({ kind: fc.constant('status' as const), pick: fc.nat(), to: fc.constantFrom('closed', 'cancelled') }),
  fc.record({ kind: fc.constant('extend' as const), pick: fc.nat(), by: fc.integer({ min: 1, max: 30_000 }) }),
);
type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

function applyChange(model: ListingReadModel, ids: string[], c: Change): void {
  version += 1;
  model.version = version;
  if (c.kind === 'create') {
    ids.push(addAuction(model, c.seed, version).id);
    return;
  }
  const record = model.get(ids[c.pick % ids.length]!)!;
  if (c.kind === 'status') model.applyStatus(record, c.to, null, version);
  else {
    const bidCount = record.bidCount + 1;
    const price = c.kind === 'bid' ? record.price + c.raise : record.price;
    const endsAtMs = c.kind === 'extend' ? record.endsAtMs + c.by : record.endsAtMs;
    const bid = {
      seq: bidCount,
      price,
      bidCount,
      leaderAlias: 1,
      minimumNextBid: price + 1,
      reserveMet: true,
      endsAtMs,
    };
    model.applyBid(record, { ...bid, status: record.status }, version);
  }
}

/** The definition: every auction the model had at the snapshot, as it was then, filtered and in order. */
function listingAt(snapshot: Listed[], sort: SortName, filter: ListingFilter): string[] {
  const order = SORT_ORDERS[sort];
  return snapshot
    .filter((item) => {
      if (filter.status && statusAt(item.status, item.startsAtMs, NOW) !== filter.status) return false;
      if (filter.category && item.category !== filter.category) return false;
      if (filter.minPrice !== undefined && item.price < filter.minPrice) return false;
      if (filter.maxPrice !== undefined && item.price > filter.maxPrice) return false;
      return !filter.sellerId || item.sellerId === filter.sellerId;
    })
    .sort((a, b) => (order.key(a) - order.key(b) || (a.id < b.id ? -1 : 1)) * order.direction)
    .map((item) => item.id);
}

describe('snapshot pagination', () => {
  test('when bids, new auctions and status changes land between pages, then the pages are exactly the listing at the first page', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom(...SORTS),
        fc.record({
          status: fc.constantFrom(undefined, 'open', 'closed', 'scheduled'),
          category: fc.constantFrom(undefined, AUCTION_CATEGORIES[0]),
          minPrice: fc.constantFrom(undefined, 200),
          maxPrice: fc.constantFrom(undefined, 400),
          sellerId: fc.constantFrom(undefined, 'seller-1'),
        }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.array(change, { maxLength: 6 }), { maxLength: 40 }),
        (initial, sort, rawFilter, limit, changesBetweenPages) => {
          const filter = Object.fromEntries(
            Object.entries(rawFilter).filter(([, v]) => v !== undefined),
          ) as ListingFilter;
          const model = new ListingReadModel();
          const ids: string[] = [];
          for (let seed = 0; seed < initial; seed += 1) ids.push(addAuction(model, seed, 0).id);
          // Some history before the traversal starts, too.
          for (const c of changesBetweenPages[0] ?? [])
            if (ids.length > 0 || c.kind === 'create') applyChange(model, ids, c);
          const asOf = model.version;
          const snapshot = ids.map((id) => ({ ...model.get(id)!, ...stateOf(model.get(id)!) }));
          const expected = listingAt(snapshot, sort, filter);

          const seen: string[] = [];
          let after: Position | undefined;
          for (let page = 1; ; page += 1) {
            const result = readPage(model, { sort, filter, limit, asOf, atMs: NOW, after });
            seen.push(...result.items.map((item) => item.id));
            if (!result.next) break;
            after = result.next;
            for (const c of changesBetweenPages[page] ?? [])
              if (ids.length > 0 || c.kind === 'create') applyChange(model, ids, c);
          }
          assert.deepEqual(seen, expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  test('when the history older than the horizon is pruned, then a traversal inside it still reads its snapshot', () => {
    const model = new ListingReadModel();
    const ids = Array.from({ length: 30 }, (_, seed) => addAuction(model, seed, 0).id);
    for (let i = 0; i < 50; i += 1) applyChange(model, ids, { kind: 'bid', pick: i * 7, raise: 30 });
    const asOf = model.version;
    const expected = readPage(model, { sort: 'price_asc', filter: {}, limit: 100, asOf, atMs: NOW }).items.map(
      (item) => item.id,
    );
    const first = readPage(model, { sort: 'price_asc', filter: {}, limit: 10, asOf, atMs: NOW });
    for (let i = 0; i < 500; i += 1) applyChange(model, ids, { kind: 'bid', pick: i, raise: 7 });
    model.prune(asOf); // states that ended at or before the snapshot: not needed by it
    const seen = first.items.map((item) => item.id);
    let after = first.next ?? undefined;
    while (after) {
      const page = readPage(model, { sort: 'price_asc', filter: {}, limit: 10, asOf, atMs: NOW, after });
      seen.push(...page.items.map((item) => item.id));
      after = page.next ?? undefined;
    }
    assert.deepEqual(seen, expected);
  });
});
