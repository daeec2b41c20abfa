/**
 * Pagination while the listing moves, over real HTTP with two API processes' read models sharing one
 * feed: between the pages of a traversal, bids move prices, bid counts and (soft close) ends of auctions
 * already seen and not yet seen, new auctions are created with the most front-page values there are, and
 * an auction not yet seen is cancelled. Pages alternate between the two APIs (as behind a load balancer).
 * The traversal must be exactly the listing as it stood at its first page (docs/decisions.md,
 * "Discovery"): the same auctions, in the same order, none twice, none missing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AuctionCategory } from '../domain/categories.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type BidJson } from './helpers/http.js';
import { newEs256PrivateKeyPem } from './helpers/jwt.js';
import { eventually, page, traverse } from './helpers/listing.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

let database: TestDatabase;
let worker: TestWorker;
let apis: TestApi[];
let seller: { id: string; token: string };
let bidders: { id: string; token: string }[];

before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  // One signing key, so a token from either API is good at both.
  const env = {
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: worker.taskQueue,
    JWT_PRIVATE_KEY: newEs256PrivateKeyPem(),
  };
  apis = [await startTestApi(env), await startTestApi(env)];
  seller = await signUp(apis[0]!.url, 'seller');
  bidders = [await signUp(apis[0]!.url, 'bidder-1'), await signUp(apis[0]!.url, 'bidder-2')];
});
after(async () => {
  for (const api of apis) await api.close();
  await worker.stop();
  await database.drop();
});

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

/** A lot of the scenario's category; a bid inside the hour moves its end an hour after that bid. */
async function createLot(category: AuctionCategory, startingPrice: number, endsInMinutes: number) {
  const answer = await call<AuctionJson>(`${apis[0]!.url}/v1/auctions`, {
    token: seller.token,
    body: {
      title: `Lot ${startingPrice}`,
      category,
      startingPrice,
      endsAt: inMinutes(endsInMinutes),
      softClose: { windowSeconds: 3600, extendSeconds: 3600 },
    },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

interface Bidding {
  minimum: number;
  lastAmount: number;
}

/**
 * Two bids with high maxima by two bidders: the price jumps, the count grows by two, the end moves.
 * Each amount is above the minimum and above every earlier amount (a leader raising its own maximum).
 */
async function bidUp(auction: AuctionJson, biddings: Map<string, Bidding>): Promise<void> {
  const bidding = biddings.get(auction.id) ?? { minimum: auction.minimumNextBid, lastAmount: 0 };
  for (const bidder of bidders) {
    const amount = Math.max(bidding.minimum, bidding.lastAmount + 1) + 20_000;
    const answer = await call<BidJson>(`${apis[1]!.url}/v1/auctions/${auction.id}/bids`, {
      token: bidder.token,
      body: { amount },
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    bidding.minimum = answer.body.minimumNextBid;
    bidding.lastAmount = amount;
  }
  biddings.set(auction.id, bidding);
}

const SCENARIOS: [string, AuctionCategory][] = [
  ['ending_soonest', 'collectibles'],
  ['newest', 'toys'],
  ['price_asc', 'sports'],
  ['price_desc', 'fashion'],
  ['most_bids', 'jewellery'],
];

describe('pagination while auctions are created and prices move', () => {
  for (const [sort, category] of SCENARIOS) {
    test(`when sorted by ${sort}, then the pages are exactly the listing at the first page`, async () => {
      const lots: AuctionJson[] = [];
      for (let i = 0; i < 10; i += 1) lots.push(await createLot(category, 10_000 + i * 1000, 30 + i));
      const biddings = new Map<string, Bidding>();
      // Bid counts and prices that differ before the traversal, so every order has something to keep.
      for (const lot of lots.slice(0, 4)) await bidUp(lot, biddings);
      const query = { category, status: 'open', sort, limit: 3 };
      const everyApiShows = (check: (items: AuctionJson[]) => boolean) =>
        eventually(`both APIs list ${category} as expected`, async () => {
          for (const api of apis) if (!check((await page(api.url, { category, limit: 100 })).items)) return false;
          return true;
        });
      await everyApiShows((items) => items.filter((item) => item.bidCount === 2).length === 4);

      const expected = (await page(apis[0]!.url, { ...query, limit: 100 })).items.map((item) => item.id);
      let created = 0;
      const cancelled = new Set<string>();
      const seen = await traverse(
        (n) => apis[(n - 1) % 2]!.url,
        query,
        async (pagesRead) => {
          const listedSoFar = new Set(expected.slice(0, pagesRead * 3));
          const biddable = lots.filter((lot) => !cancelled.has(lot.id));
          const seenLot = biddable.find((lot) => listedSoFar.has(lot.id))!;
          const unseen = biddable.filter((lot) => !listedSoFar.has(lot.id));
          // Front-page values: the cheapest, the soonest to end, the newest.
          const fresh = await createLot(category, 100 + pagesRead, 5 + pagesRead);
          created += 1;
          await bidUp(seenLot, biddings);
          if (unseen[0]) await bidUp(unseen[0], biddings);
          if (pagesRead === 1 && unseen[1]) {
            const cancel = await call(`${apis[0]!.url}/v1/auctions/${unseen[1].id}/cancel`, {
              token: seller.token,
              body: { reason: 'withdrawn mid-traversal' },
            });
            assert.equal(cancel.status, 200);
            cancelled.add(unseen[1].id);
          }
          // The changes have reached both read models before the next page is read.
          const minimumOf = (id: string) => biddings.get(id)?.minimum;
          await everyApiShows((items) => {
            const byId = new Map(items.map((item) => [item.id, item]));
            return (
              byId.has(fresh.id) &&
              [seenLot, ...unseen.slice(0, 1)].every((lot) => byId.get(lot.id)?.minimumNextBid === minimumOf(lot.id))
            );
          });
        },
      );
      assert.equal(new Set(seen).size, seen.length, 'no auction twice');
      assert.deepEqual(seen, expected);
      assert.ok(created >= 3, 'the traversal spanned several pages');
      // The world did move: a traversal started now is a different one.
      const now = (await page(apis[0]!.url, { ...query, limit: 100 })).items.map((item) => item.id);
      assert.notDeepEqual(now, expected);
    });
  }
});
