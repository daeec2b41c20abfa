/**
 * One bid followed by its trace (tracing/): a real API process and a real worker process, both sending
 * spans over OTLP/HTTP to a receiver in this test, with Redis, Postgres and Temporal real. The bid's
 * request carries a traceparent of the test's own, so its trace is known: the test then finds that trace
 * in the API (the request, the script call in Redis, the signal to the workflow) and in the workflow,
 * and finds the persist cycle that stored the bid linked to it, with the Postgres insert inside it, under
 * the activity and the workflow that ran it. The API's log line for the request names the same trace.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { spawnApi, type ApiProcess } from './helpers/api-process.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './helpers/otlp-receiver.js';
import { spawnWorker, stopWorker, workerEnvFor, type WorkerProcess } from './helpers/worker-process.js';

let receiver: OtlpReceiver;
let database: TestDatabase;
let worker: WorkerProcess;
let api: ApiProcess;
const apiLog: string[] = [];

before(async () => {
  receiver = await startOtlpReceiver();
  database = await createTestDatabase();
  const taskQueue = `tracing-${randomUUID()}`;
  // The batch processor exports every 100 ms rather than every 5 s, so the test waits moments.
  const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' };
  worker = spawnWorker({ ...workerEnvFor(database.url, taskQueue), ...tracing });
  api = await spawnApi(
    { DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'debug', ...tracing },
    undefined,
    (chunk) => apiLog.push(chunk),
  );
});
after(async () => {
  api.process.kill('SIGTERM');
  await api.exited;
  await stopWorker(worker, 10_000);
  await database.drop();
  await receiver.close();
});

/** Waits until `find` returns something from the spans received so far. */
async function eventually<T>(what: string, find: (spans: ReceivedSpan[]) => T | undefined): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = find(receiver.spans);
    if (found !== undefined) return found;
    if (Date.now() > deadline) {
      const names = [...new Set(receiver.spans.map((span) => `${span.service} ${span.name}`))].sort();
      throw new Error(`not within 30 s: ${what}; spans received: ${names.join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The chain of spans from `span` up to its trace's root, as far as they were received. */
function ancestorsOf(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
  const chain: ReceivedSpan[] = [];
  let current: ReceivedSpan | undefined = span;
  while (current && current.parentSpanId !== '') {
    const parentId: string = current.parentSpanId;
    current = spans.find((candidate) => candidate.spanId === parentId && candidate.traceId === span.traceId);
    if (current) chain.push(current);
  }
  return chain;
}

test("when a traced bid is placed, then its trace reaches from the API's request through Redis and the workflow to the persist cycle that stored it in Postgres", async () => {
  const seller = await signUp(api.url, 'seller');
  const bidder = await signUp(api.url, 'bidder');
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Traced clock', startingPrice: 1000, endsAt: new Date(Date.now() + 120_000).toISOString() },
  });
  assert.equal(created.status, 201);
  const auctionId = created.body.id;

  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  const response = await fetch(`${api.url}/v1/auctions/${auctionId}/bids`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${bidder.token}`,
      'content-type': 'application/json',
      traceparent: `00-${traceId}-${callerSpanId}-01`,
    },
    body: JSON.stringify({ amount: 1500 }),
  });
  assert.equal(response.status, 201, await response.text());

  // The API: the request under the caller's span, the script call in Redis and the signal inside it.
  const request = await eventually('the request span', (spans) =>
    spans.find((s) => s.traceId === traceId && s.parentSpanId === callerSpanId && s.service === 'gavel-api'),
  );
  assert.match(request.name, /POST/);
  const apiSpans = () => receiver.spans.filter((s) => s.traceId === traceId && s.service === 'gavel-api');
  const script = await eventually('the Redis script call', () => apiSpans().find((s) => /^evalsha$/i.test(s.name)));
  assert.ok(ancestorsOf(script, receiver.spans).includes(request), 'the script call is inside the request');
  const signal = await eventually('the signal to the workflow', () =>
    apiSpans().find((s) => s.name === 'SignalWorkflow:bidsPending'),
  );
  assert.ok(ancestorsOf(signal, receiver.spans).includes(request), 'the signal is inside the request');

  // The workflow, in the worker, handles that signal in the same trace.
  const handled = await eventually('the workflow handling the signal', (spans) =>
    spans.find((s) => s.traceId === traceId && s.service === 'gavel-worker' && s.name === 'HandleSignal:bidsPending'),
  );
  assert.equal(handled.parentSpanId, signal.spanId);

  // The bid's row, and the persist cycle that wrote it, linked back to a span of the bid's request.
  await waitForRow(auctionId);
  const persist = await eventually('the persist cycle linked to the bid', (spans) =>
    spans.find((s) => s.name === 'persist bids' && s.links.some((link) => link.traceId === traceId)),
  );
  assert.equal(persist.service, 'gavel-worker');
  assert.equal(persist.attributes['gavel.auction.id'], auctionId);
  const link = persist.links.find((l) => l.traceId === traceId)!;
  assert.equal(Number(link.attributes['gavel.bid.seq']), 1);
  assert.ok(
    apiSpans().some((s) => s.spanId === link.spanId),
    'the link names a span of the request that placed the bid',
  );
  const insert = await eventually('the insert inside the persist cycle', (spans) =>
    spans.find((s) => s.parentSpanId === persist.spanId && /insert/i.test(String(s.attributes['db.statement']))),
  );
  assert.match(String(insert.attributes['db.statement']), /insert into "bids"/i);
  // Above the cycle: the activity that ran it, under the workflow that scheduled it (the activity's span
  // arrives when it ends, after it has lingered for more bids).
  const above = await eventually('the activity and the workflow above the cycle', (spans) => {
    const names = ancestorsOf(persist, spans).map((s) => s.name);
    return names.includes('RunActivity:persistBids') &&
      names.some((name) => name.startsWith('StartActivity:persistBids'))
      ? names
      : undefined;
  });
  assert.equal(above[0], 'RunActivity:persistBids', `the cycle runs in the activity: ${above.join(' < ')}`);

  // The API's log line for the request carries its trace id.
  const requestLine = apiLog
    .join('')
    .split('\n')
    .find((line) => line.includes(`/v1/auctions/${auctionId}/bids`) && line.includes('"trace_id"'));
  assert.ok(requestLine, 'a log line of the bid request has a trace id');
  assert.equal((JSON.parse(requestLine) as { trace_id: string }).trace_id, traceId);
});

async function waitForRow(auctionId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = await database.db.execute(sql`SELECT count(*)::int AS n FROM bids WHERE auction_id = ${auctionId}`);
    if ((result.rows[0] as { n: number }).n === 1) return;
    if (Date.now() > deadline) throw new Error('the bid was not persisted within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
