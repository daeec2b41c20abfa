/**
 * SIGTERM on a real worker process (worker/main.ts) while it persists a live auction under a bid
 * load: the persist activity stops lingering, the worker finishes what it runs and exits 0 within its
 * grace time, and a second worker takes the auction over: it closes with exactly one correct result
 * and every acknowledged bid in Postgres once.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { bids } from '../db/schema.js';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import type { auctionWorkflow } from '../workflows/auction.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import {
  assertHistoryHoldsEveryAcknowledgedBid,
  bidHistory,
  bidWar,
  expectedResult,
  publicResult,
  withoutAlias,
  withoutOrder,
  type AcknowledgedBid,
} from './helpers/bidding.js';
import { testConfig } from './helpers/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { watchEvents } from './helpers/sse.js';
import { waitForPollers } from './helpers/task-queue.js';
import { spawnWorker, type WorkerProcess } from './helpers/worker-process.js';

/**
 * Shorter than the persist activity's longest linger (5 s), so a worker that kept lingering through
 * its shutdown would overrun it.
 */
const GRACE_MS = 3000;

const taskQueue = `worker-shutdown-${randomUUID()}`;
let database: TestDatabase;
let api: TestApi;
const workers: WorkerProcess[] = [];

const startWorker = () => {
  const config = testConfig();
  const worker = spawnWorker({
    DATABASE_URL: database.url,
    REDIS_URL: config.REDIS_URL,
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SHUTDOWN_TIMEOUT_MS: String(GRACE_MS),
  });
  workers.push(worker);
  return worker;
};

before(async () => {
  database = await createTestDatabase();
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: taskQueue });
});
after(async () => {
  for (const worker of workers) worker.process.kill('SIGKILL');
  await Promise.all(workers.map((worker) => worker.exited));
  await api.close();
  await database.drop();
});

const persistedCount = async (auctionId: string) =>
  (await database.db.select({ seq: bids.seq }).from(bids).where(eq(bids.auctionId, auctionId))).length;

test('when the worker is SIGTERMed while it persists a hot auction, then it exits 0 in its grace time and another worker closes the auction correctly', async (t) => {
  const first = startWorker();
  await waitForPollers(api.deps.temporal, taskQueue, [first.process]);
  const seller = await signUp(api.url, 'seller');
  const bidders = await Promise.all(Array.from({ length: 6 }, (_, i) => signUp(api.url, `bidder${i}`)));
  const rules = { startingPrice: 100, reservePrice: 5_000 };
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: {
      title: 'Handed over',
      ...rules,
      endsAt: new Date(Date.now() + 4000).toISOString(),
      // Bids keep the auction open while the second worker starts and the first one stops.
      softClose: { windowSeconds: 3, extendSeconds: 3 },
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const auctionId = created.body.id;
  const watcher = watchEvents(`${api.url}/v1/auctions/${auctionId}/events`);

  const acknowledged: AcknowledgedBid[] = [];
  let stopBiddingAt = Infinity;
  const war = bidWar({
    auctionId,
    bidders: bidders.map((bidder) => ({ ...bidder, url: api.url })),
    startingPrice: rules.startingPrice,
    keepGoing: () => Date.now() < stopBiddingAt,
    acknowledged,
  });

  // The first worker holds the auction (its sticky queue) and is persisting; then the second comes up.
  const persisting = Date.now() + 20_000;
  while ((await persistedCount(auctionId)) === 0 && Date.now() < persisting) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok((await persistedCount(auctionId)) > 0, 'the first worker persists bids');
  const second = startWorker();
  await waitForPollers(api.deps.temporal, taskQueue, [second.process]);

  // Bids keep arriving, so the persist activity is lingering when the signal lands.
  const sigtermAt = Date.now();
  first.process.kill('SIGTERM');
  // Bounded, so a worker that never drains fails the test here (and is killed after it), not by timeout.
  const exited = await Promise.race([
    first.exited.then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 4 * GRACE_MS)),
  ]);
  const exitMs = Date.now() - sigtermAt;
  assert.ok(exited, `the worker still runs ${exitMs} ms after SIGTERM`);
  t.diagnostic(`the worker exited ${exitMs} ms after SIGTERM`);
  assert.equal(first.process.exitCode, 0);
  assert.ok(exitMs < GRACE_MS, `exited ${exitMs} ms after SIGTERM (grace ${GRACE_MS} ms)`);

  // The load goes on a little on the second worker alone, then stops; soft close then ends the auction.
  stopBiddingAt = Date.now() + 1500;
  await war;
  const handle = api.deps.temporal.workflow.getHandle<typeof auctionWorkflow>(auctionWorkflowId(auctionId));
  const final = await handle.result();
  assert.equal(final.status, 'closed');
  t.diagnostic(`${acknowledged.length} bids; closed ${Date.now() - sigtermAt} ms after SIGTERM`);

  const history = await bidHistory(api.url, auctionId, seller.token);
  assertHistoryHoldsEveryAcknowledgedBid(history, acknowledged);
  // As its seller sees it: the winner by account too.
  const auction = (await call<AuctionJson>(`${api.url}/v1/auctions/${auctionId}`, { token: seller.token })).body;
  assert.deepEqual(withoutOrder(auction.result!), expectedResult(acknowledged, history, rules));
  if (auction.result?.outcome === 'sold')
    assert.match(String(auction.result.orderId), /^[0-9a-f-]{36}$/, 'a sale has its order');
  assert.deepEqual(final.result, withoutAlias(auction.result!));

  await watcher.waitFor('closed');
  const closed = watcher.events.filter((event) => event.event === 'closed');
  assert.equal(closed.length, 1);
  assert.deepEqual(closed[0]?.data, publicResult(auction.result!));
  await watcher.close();
});
