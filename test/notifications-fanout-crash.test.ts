/**
 * Fault: the worker is SIGKILLed in the middle of a fan-out to thousands of watchers, and another one
 * started. Invariant: every watcher ends up with exactly one notification of the moment, none twice,
 * none missing (the retried activity resumes from its last heartbeat; dedupe keys absorb any overlap).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { spawnWorker, workerEnvFor, type WorkerProcess } from './helpers/worker-process.js';

const WATCHERS = 5000;
const taskQueue = `fanout-crash-${randomUUID()}`;
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

const startedCount = async (auctionId: string) =>
  Number(
    (
      await database.db.execute<{ n: string }>(
        sql`SELECT count(*) AS n FROM notifications WHERE auction_id = ${auctionId} AND type = 'auction_started'`,
      )
    ).rows[0]!.n,
  );

test('when the worker is killed mid fan-out and another starts, then every watcher is told exactly once', async () => {
  const seller = await signUp(api.url, 'seller');
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: {
      title: 'Watched by thousands',
      startingPrice: 1000,
      startsAt: new Date(Date.now() + 4000).toISOString(),
      endsAt: new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString(),
    },
  });
  assert.equal(created.status, 201);
  const auctionId = created.body.id;
  const run = randomUUID();
  await database.db.execute(sql`
    WITH fans AS (
      INSERT INTO users (email, display_name)
      SELECT 'fan' || g || '-' || ${run} || '@example.test', 'fan' || g FROM generate_series(1, ${WATCHERS}) g
      RETURNING id)
    INSERT INTO watchlist (user_id, auction_id) SELECT id, ${auctionId} FROM fans`);

  worker = spawnWorker(workerEnv());
  let atKill = 0;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    atKill = await startedCount(auctionId);
    if (atKill > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  worker.process.kill('SIGKILL');
  await worker.exited;
  assert.ok(atKill > 0 && atKill < WATCHERS, `killed mid fan-out (${atKill} of ${WATCHERS} stored)`);

  worker = spawnWorker(workerEnv());
  const done = Date.now() + 90_000;
  while ((await startedCount(auctionId)) < WATCHERS && Date.now() < done) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const { rows } = await database.db.execute<{ total: string; users: string }>(sql`
    SELECT count(*) AS total, count(DISTINCT n.user_id) AS users
      FROM notifications n JOIN watchlist w ON w.user_id = n.user_id AND w.auction_id = n.auction_id
     WHERE n.auction_id = ${auctionId} AND n.type = 'auction_started'`);
  assert.deepEqual(rows[0], { total: String(WATCHERS), users: String(WATCHERS) });
});
