/**
 * The invariants of a hot auction, through the real HTTP API, Redis, Temporal and Postgres:
 * every acknowledged bid is in the history exactly once and the seqs have no gaps; no bid is placed
 * after the end; soft close moved the end; the winner and price equal the order-independent formula
 * (docs/architecture.md, "Proxy bidding") over the accepted maxima; an SSE watcher sees a `closed` event equal to the stored result.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import type { auctionWorkflow } from '../workflows/auction.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import {
  assertHistoryHoldsEveryAcknowledgedBid,
  bidHistory,
  bidWar,
  expectedResult,
  publicResult,
  withoutOrder,
  type AcknowledgedBid,
} from './helpers/bidding.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { watchEvents } from './helpers/sse.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

const BIDDERS = 20;
const TARGET_BIDS = 500;

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: worker.taskQueue });
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
});

test('when 20 bidders fight over one auction, then every acknowledged bid is kept once and one correct result is announced', async () => {
  const seller = await signUp(api.url, 'seller');
  const bidders = await Promise.all(Array.from({ length: BIDDERS }, (_, i) => signUp(api.url, `bidder${i}`)));
  // Short, so the bids land inside the soft-close window and keep moving the end.
  const scheduledEnd = new Date(Date.now() + 2500);
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: {
      title: 'Hot lot',
      startingPrice: 100,
      reservePrice: 20_000,
      endsAt: scheduledEnd.toISOString(),
      softClose: { windowSeconds: 2, extendSeconds: 2 },
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const auctionId = created.body.id;
  const watcher = watchEvents(`${api.url}/v1/auctions/${auctionId}/events`);

  // Soft close keeps the auction open while bids keep coming, so the war runs until enough are in.
  const giveUpAt = Date.now() + 60_000;
  const acknowledged: AcknowledgedBid[] = [];
  await bidWar({
    auctionId,
    bidders: bidders.map((bidder) => ({ ...bidder, url: api.url })),
    startingPrice: 100,
    keepGoing: () => acknowledged.length < TARGET_BIDS && Date.now() < giveUpAt,
    acknowledged,
  });
  assert.ok(acknowledged.length >= TARGET_BIDS, `only ${acknowledged.length} bids acknowledged`);

  const final = await worker.client.workflow.getHandle<typeof auctionWorkflow>(auctionWorkflowId(auctionId)).result();
  assert.equal(final.status, 'closed');

  // Every 201's seq appears once in the history; the history has no gaps and nothing else.
  const history = await bidHistory(api.url, auctionId, seller.token);
  assertHistoryHoldsEveryAcknowledgedBid(history, acknowledged);

  const auction = (await call<AuctionJson>(`${api.url}/v1/auctions/${auctionId}`, { token: seller.token })).body;
  assert.equal(auction.status, 'closed');
  assert.ok(Date.parse(auction.endsAt) > scheduledEnd.getTime(), 'soft close moved the end');
  for (const bid of history) assert.ok(Date.parse(bid.placedAt) < Date.parse(auction.endsAt), 'no bid after the end');

  const rules = { startingPrice: 100, reservePrice: 20_000 };
  assert.ok(auction.result);
  assert.deepEqual(withoutOrder(auction.result), expectedResult(acknowledged, history, rules));

  const closed = await watcher.waitFor('closed');
  assert.deepEqual(closed.data, publicResult(auction.result));
  assert.ok(
    watcher.events.some((event) => event.event === 'extended'),
    'watchers saw the end move',
  );
  await watcher.close();
});
