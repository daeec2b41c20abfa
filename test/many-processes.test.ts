/**
 * The deployment shape: two API processes and two worker processes (the real entry points) on one
 * task queue, sharing one signing key, Redis, Postgres and Temporal. A watcher on API A sees every bid
 * placed through API B (Redis pub/sub fans the events out), and the auction closes exactly once: one
 * stored result equal to the order-independent formula (docs/architecture.md, "Proxy bidding"), every
 * acknowledged bid in Postgres once, one `closed`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { auctions, bids } from '../db/schema.js';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import type { auctionWorkflow } from '../workflows/auction.js';
import { spawnApi, type ApiProcess } from './helpers/api-process.js';
import { presentResult } from '../api/auctions/presenter.js';
import {
  bidHistory,
  bidWar,
  expectedResult,
  publicResult,
  withoutOrder,
  type AcknowledgedBid,
} from './helpers/bidding.js';
import { testConfig } from './helpers/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { newEs256PrivateKeyPem } from './helpers/jwt.js';
import { watchEvents } from './helpers/sse.js';
import { waitForPollers } from './helpers/task-queue.js';
import { spawnWorker, type WorkerProcess } from './helpers/worker-process.js';

const TARGET_BIDS = 300;

const taskQueue = `many-${randomUUID()}`;
let database: TestDatabase;
let connection: Connection;
let temporal: Client;
let apis: ApiProcess[] = [];
let workers: WorkerProcess[] = [];

before(async () => {
  database = await createTestDatabase();
  const config = testConfig();
  connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const shared = {
    DATABASE_URL: database.url,
    REDIS_URL: config.REDIS_URL,
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: taskQueue,
  };
  workers = [spawnWorker(shared), spawnWorker(shared)];
  // One key for both APIs: a token signed by one is accepted by the other.
  const api = { ...shared, JWT_PRIVATE_KEY: newEs256PrivateKeyPem() };
  apis = await Promise.all([spawnApi(api), spawnApi(api)]);
  await waitForPollers(
    temporal,
    taskQueue,
    workers.map((worker) => worker.process),
  );
});
after(async () => {
  for (const child of [...apis, ...workers]) child.process.kill('SIGKILL');
  await Promise.all([...apis, ...workers].map((child) => child.exited));
  await connection.close();
  await database.drop();
});

test('when bidders bid through two APIs served by two workers, then a watcher on A sees every bid placed through B and the auction closes once', async (t) => {
  const [a, b] = apis.map((api) => api.url) as [string, string];
  // Everyone signs in through A; most bid through B with A's tokens, some through A.
  const seller = await signUp(a, 'seller');
  const people = await Promise.all(Array.from({ length: 8 }, (_, i) => signUp(a, `bidder${i}`)));
  const bidders = people.map((person, i) => ({ ...person, url: i < 6 ? b : a }));
  const rules = { startingPrice: 100, reservePrice: null };
  const created = await call<AuctionJson>(`${b}/v1/auctions`, {
    token: seller.token,
    body: {
      title: 'Seen everywhere',
      startingPrice: rules.startingPrice,
      endsAt: new Date(Date.now() + 3000).toISOString(),
      softClose: { windowSeconds: 2, extendSeconds: 2 },
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const auctionId = created.body.id;
  const watcher = watchEvents(`${a}/v1/auctions/${auctionId}/events`);
  assert.equal((await watcher.waitFor('snapshot')).id, '0');

  const acknowledged: AcknowledgedBid[] = [];
  const giveUpAt = Date.now() + 60_000;
  await bidWar({
    auctionId,
    bidders,
    startingPrice: rules.startingPrice,
    keepGoing: () => acknowledged.length < TARGET_BIDS && Date.now() < giveUpAt,
    acknowledged,
  });
  assert.ok(acknowledged.length >= TARGET_BIDS, `only ${acknowledged.length} bids acknowledged`);
  const handle = temporal.workflow.getHandle<typeof auctionWorkflow>(auctionWorkflowId(auctionId));
  const final = await handle.result();
  assert.equal(final.status, 'closed');
  const seqs = Array.from({ length: acknowledged.length }, (_, i) => i + 1);

  // The watcher on A saw every acknowledged bid, in order, once, and then the close.
  const closed = await watcher.waitFor('closed');
  await watcher.close();
  const seen = watcher.events.filter((event) => event.event === 'bid').map((event) => Number(event.id));
  assert.deepEqual(seen, seqs);
  assert.equal(watcher.events.filter((event) => event.event === 'closed').length, 1);

  // Every acknowledged bid is in Postgres once, by the bidder who placed it.
  const history = await bidHistory(a, auctionId, seller.token);
  assert.deepEqual(
    history.map((bid) => bid.seq),
    seqs,
  );
  for (const bid of acknowledged) assert.equal(history[bid.seq - 1]?.bidderId, bid.bidderId);
  assert.equal((await database.db.select().from(bids).where(eq(bids.auctionId, auctionId))).length, seqs.length);

  // One result, the formula's, the same in Postgres, in the workflow's answer and on the stream.
  const [row] = await database.db.select().from(auctions).where(eq(auctions.id, auctionId));
  assert.equal(row?.status, 'closed');
  assert.equal(row?.bidCount, acknowledged.length);
  const stored = (await call<AuctionJson>(`${b}/v1/auctions/${auctionId}`, { token: seller.token })).body.result;
  assert.ok(stored && final.result);
  assert.deepEqual(withoutOrder(stored), expectedResult(acknowledged, history, rules));
  assert.deepEqual(presentResult(final.result, stored.winnerAlias), stored);
  assert.deepEqual(closed.data, publicResult(stored));

  // The workflow ran to completion once: one result recorded, one close announced.
  assert.equal((await handle.describe()).status.name, 'COMPLETED');
  const { events } = await handle.fetchHistory();
  const scheduled = (name: string) =>
    (events ?? []).filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === name).length;
  assert.equal(scheduled('recordResult'), 1);
  assert.equal(scheduled('publishClosed'), 1);
  const identities = new Set((events ?? []).map((event) => event.workflowTaskCompletedEventAttributes?.identity));
  t.diagnostic(
    `${acknowledged.length} bids; workflow tasks completed by ${[...identities].filter(Boolean).join(', ')}`,
  );
});
