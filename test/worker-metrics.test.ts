/**
 * The worker process's /metrics on METRICS_PORT (worker/metrics.ts), scraped while real bids are
 * persisted and real mail goes out through the test stack's SMTP server: the persist lag per bid, each
 * delivery's outcome, and the backlogs and states read from Postgres at each scrape.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { freePort } from './helpers/api-process.js';
import { testConfig } from './helpers/config.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { spawnWorker, stopWorker, workerEnvFor, type WorkerProcess } from './helpers/worker-process.js';

let database: TestDatabase;
let worker: WorkerProcess;
let api: TestApi;
let metricsUrl: string;
let taskQueue: string;
before(async () => {
  database = await createTestDatabase();
  taskQueue = `worker-metrics-${randomUUID()}`;
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  worker = spawnWorker({ ...workerEnvFor(database.url, taskQueue), METRICS_PORT: String(port) });
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: taskQueue });
});
after(async () => {
  await api.close();
  await stopWorker(worker, 10_000);
  await database.drop();
});

/** Every sample of one scrape, by its name and labels as written. */
async function scrape(): Promise<Map<string, number>> {
  const response = await fetch(metricsUrl);
  assert.equal(response.status, 200);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

async function until(what: string, holds: (samples: Map<string, number>) => boolean): Promise<Map<string, number>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const samples = await scrape();
      if (holds(samples)) return samples;
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`not within 30 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('when bids are persisted and an outbid mail is sent, then the worker reports the lag per bid and the delivery', async () => {
  const seller = await signUp(api.url, 'seller');
  const ann = await signUp(api.url, 'ann');
  const ben = await signUp(api.url, 'ben');
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Watched lamp', startingPrice: 1000, endsAt: new Date(Date.now() + 120_000).toISOString() },
  });
  assert.equal(created.status, 201);
  for (const [user, amount] of [
    [ann, 2000],
    [ben, 3000],
  ] as const) {
    assert.equal(
      (await call(`${api.url}/v1/auctions/${created.body.id}/bids`, { token: user.token, body: { amount } })).status,
      201,
    );
  }
  const samples = await until(
    'two bids persisted and one mail delivered',
    (s) =>
      (s.get('gavel_persist_lag_seconds_count') ?? 0) >= 2 &&
      (s.get('gavel_notification_deliveries_total{channel="email",outcome="delivered"}') ?? 0) >= 1,
  );
  const lagSum = samples.get('gavel_persist_lag_seconds_sum') ?? -1;
  assert.ok(lagSum > 0 && lagSum < 60, `a lag of seconds, not hours or clock-skew nonsense: ${lagSum}`);
  assert.equal(
    samples.get('gavel_persist_lag_seconds_bucket{le="+Inf"}'),
    samples.get('gavel_persist_lag_seconds_count'),
  );
});

test('when a mail has waited an hour, then the email backlog counts it and its age; the other gauges answer from Postgres', async () => {
  const stuck = await signUp(api.url, 'stuck');
  // A notification whose mail is not due for a day: the dispatcher leaves it alone, so it only waits.
  await database.db.execute(sql`
    WITH inserted AS (
      INSERT INTO notifications (user_id, type, data, dedupe_key)
      VALUES (${stuck.id}, 'outbid', '{}'::jsonb, ${`metrics-${randomUUID()}`}) RETURNING id)
    INSERT INTO email_outbox (notification_id, user_id, type, created_at, next_attempt_at)
    SELECT id, ${stuck.id}, 'outbid', now() - interval '1 hour', now() + interval '1 day' FROM inserted`);
  const samples = await until(
    'the stuck mail counted',
    (s) => (s.get('gavel_outbox_waiting{outbox="email"}') ?? 0) >= 1,
  );
  assert.equal(samples.get('gavel_outbox_waiting{outbox="email"}'), 1);
  assert.ok((samples.get('gavel_outbox_oldest_seconds{outbox="email"}') ?? 0) >= 3600);
  assert.equal(samples.get('gavel_outbox_waiting{outbox="webhook"}'), 0);
  assert.equal(samples.get('gavel_outbox_oldest_seconds{outbox="webhook"}'), 0);
  assert.equal(samples.get('gavel_orders_overdue'), 0);
  assert.equal(samples.get('gavel_orders_awaiting_payment'), 0);
  assert.equal(samples.get('gavel_sales{phase="open"}'), 0);
  assert.ok(samples.has('process_resident_memory_bytes'));
});

test('when a workflow of this task queue times out, then the worker reports it among the workflows that ended badly', async () => {
  const config = testConfig();
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    // A type the worker does not have: its tasks fail, and the run times out after a second, as a stuck one would.
    await client.workflow.start('noSuchWorkflow', {
      taskQueue,
      workflowId: `times-out-${randomUUID()}`,
      workflowRunTimeout: '1s',
    });
    const samples = await until(
      'the timed-out workflow counted',
      (s) => (s.get('gavel_workflows_ended_badly{status="TimedOut"}') ?? 0) >= 1,
    );
    assert.equal(samples.get('gavel_workflows_ended_badly{status="TimedOut"}'), 1);
    assert.equal(samples.get('gavel_workflows_ended_badly{status="Failed"}'), 0);
    // Its workflow tasks failed on the worker (no such type): the SDK's own counter, served beside ours.
    const failedTasks = [...samples].filter(
      ([series]) =>
        series.startsWith('temporal_workflow_task_execution_failed_total{') && series.includes('noSuchWorkflow'),
    );
    assert.ok(failedTasks.length > 0 && failedTasks.every(([, value]) => value >= 1), JSON.stringify(failedTasks));
  } finally {
    await connection.close();
  }
});
