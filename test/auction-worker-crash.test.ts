/**
 * A worker killed with SIGKILL in the middle of an auction, and another started: the auction still
 * closes with every acknowledged bid persisted once and exactly one result, announced consistently.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { presentResult } from '../api/auctions/presenter.js';
import { auctions } from '../db/schema.js';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import type { auctionWorkflow } from '../workflows/auction.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type BidJson } from './helpers/http.js';
import { watchEvents } from './helpers/sse.js';
import { spawnWorker, workerEnvFor, type WorkerProcess } from './helpers/worker-process.js';

const taskQueue = `crash-${randomUUID()}`;
let database: TestDatabase;
let api: TestApi;
let worker: WorkerProcess | null = null;

const workerEnv = () => workerEnvFor(database.url, taskQueue);

before(async () => {
  database = await createTestDatabase();
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: taskQueue });
});
after(async () => {
  worker?.process.kill('SIGKILL');
  await worker?.exited;
  await api.close();
  await database.drop();
});

test('when the worker is SIGKILLed mid-auction and restarted, then the auction still ends with one result and every bid', async () => {
  worker = spawnWorker(workerEnv());
  const seller = await signUp(api.url, 'seller');
  const alice = await signUp(api.url, 'alice');
  const bob = await signUp(api.url, 'bob');
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Survives crashes', startingPrice: 500, endsAt: new Date(Date.now() + 6000).toISOString() },
  });
  assert.equal(created.status, 201);
  const auctionId = created.body.id;
  const watcher = watchEvents(`${api.url}/v1/auctions/${auctionId}/events`);
  const handle = api.deps.temporal.workflow.getHandle<typeof auctionWorkflow>(auctionWorkflowId(auctionId));

  const acknowledged: number[] = [];
  const bidLoop = async (token: string, stopAt: number) => {
    let minimum = 500;
    while (Date.now() < stopAt) {
      const answer = await call<BidJson & { error?: { code: string; minimumNextBid: number } }>(
        `${api.url}/v1/auctions/${auctionId}/bids`,
        { token, body: { amount: minimum + 10 } },
      );
      if (answer.status === 201) {
        acknowledged.push(answer.body.seq);
        minimum = answer.body.minimumNextBid;
      } else if (answer.body.error?.code === 'BID_TOO_LOW') {
        minimum = answer.body.error.minimumNextBid;
      } else break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const bidding = Promise.all([bidLoop(alice.token, Date.now() + 4000), bidLoop(bob.token, Date.now() + 4000)]);

  // Let the worker pick the auction up and persist some bids, then kill it outright.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const killed = worker;
  killed.process.kill('SIGKILL');
  await killed.exited;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  worker = spawnWorker(workerEnv());
  await bidding;

  const final = await handle.result();
  assert.equal(final.status, 'closed');
  assert.ok(acknowledged.length > 20, `only ${acknowledged.length} bids`);

  const [row] = await database.db.select().from(auctions).where(eq(auctions.id, auctionId));
  assert.equal(row?.outcome, 'sold');
  assert.equal(row?.bidCount, acknowledged.length);
  const persisted = await database.pool.query<{ n: string; max: number }>(
    'SELECT count(*) AS n, max(seq) AS max FROM bids WHERE auction_id = $1',
    [auctionId],
  );
  assert.equal(Number(persisted.rows[0]?.n), acknowledged.length);
  assert.equal(persisted.rows[0]?.max, Math.max(...acknowledged));

  await watcher.waitFor('closed');
  const closedEvents = watcher.events.filter((event) => event.event === 'closed');
  // The stream is public: the winner by alias only, as anyone reading the auction sees it.
  const stored = (await call<AuctionJson>(`${api.url}/v1/auctions/${auctionId}`)).body.result;
  for (const event of closedEvents) assert.deepEqual(event.data, stored);
  assert.ok(final.result && stored);
  assert.match(String(stored.winnerAlias), /^Bidder \d+$/);
  assert.deepEqual({ ...presentResult(final.result, stored.winnerAlias), winnerId: null }, stored);
  await watcher.close();
});
