/**
 * One bid followed by its trace (tracing/): a real API process and a real worker process, both sending
 * spans over OTLP/HTTP to a receiver in this test, with Redis, Postgres and Temporal real, both sampling
 * nothing of their own (a ratio of 0): only requests that come with a sampled traceparent are traced. The
 * bid's request carries one of the test's own, so its trace is known: the test then finds that trace in
 * the API (the request, the script call in Redis, the signal to the workflow) and in the workflow, and
 * finds the persist cycle that stored the bid linked to it, with the Postgres insert inside it, and
 * linked to the activity that ran it, under the workflow that scheduled it. A second auction, made by an
 * unsampled request, shows a sampled bid's cycle kept all the same. The API's log line names the trace.
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
  const tracing = {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0',
  };
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

/** A traceparent of the test's own, sampled: the trace id and the caller's span id. */
function sampledParent() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
}

async function createAuction(token: string, title: string, traceparent?: string): Promise<string> {
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token,
    headers: traceparent ? { traceparent } : {},
    body: { title, startingPrice: 1000, endsAt: new Date(Date.now() + 120_000).toISOString() },
  });
  assert.equal(created.status, 201);
  return created.body.id;
}

async function bid(token: string, auctionId: string, amount: number, traceparent?: string): Promise<void> {
  const placed = await call(`${api.url}/v1/auctions/${auctionId}/bids`, {
    token,
    headers: traceparent ? { traceparent } : {},
    body: { amount },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
}

/** The persist cycle of `auctionId` linked to a span of trace `traceId`. */
const persistLinkedTo = (auctionId: string, traceId: string) => (spans: ReceivedSpan[]) =>
  spans.find(
    (s) =>
      s.name === 'persist bids' &&
      s.attributes['gavel.auction.id'] === auctionId &&
      s.links.some((link) => link.traceId === traceId),
  );

test("when a traced bid is placed, then its trace reaches from the API's request through Redis and the workflow to the persist cycle that stored it in Postgres", async () => {
  const seller = await signUp(api.url, 'seller');
  const bidder = await signUp(api.url, 'bidder');
  // A sampled start, so the workflow and its activities are traced too.
  const auctionId = await createAuction(seller.token, 'Traced clock', sampledParent().header);

  const { traceId, spanId: callerSpanId, header } = sampledParent();
  await bid(bidder.token, auctionId, 1500, header);

  // The API: the request under the caller's span, the script call in Redis and the signal inside it.
  const request = await eventually('the request span', (spans) =>
    spans.find((s) => s.traceId === traceId && s.parentSpanId === callerSpanId && s.service === 'gavel-api'),
  );
  // Named by its route's template, not its path: every bid on every auction groups under one name.
  assert.equal(request.name, 'POST /v1/auctions/:id/bids');
  assert.equal(request.attributes['http.route'], '/v1/auctions/:id/bids');
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

  // The bid's row, and the persist cycle that wrote it: a trace of its own, linked back to a span of the
  // bid's request, with the Postgres insert inside it.
  await waitForRows(auctionId, 1);
  const persist = await eventually('the persist cycle linked to the bid', persistLinkedTo(auctionId, traceId));
  assert.equal(persist.service, 'gavel-worker');
  assert.equal(persist.parentSpanId, '', 'a cycle starts a trace of its own');
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

  // Linked too: the activity that ran the cycle, under the workflow that scheduled it (the activity's span
  // arrives when it ends, after it has lingered for more bids).
  const toActivity = persist.links.find((l) => l.attributes['gavel.link'] === 'activity');
  assert.ok(toActivity, 'the cycle links to its activity');
  const activity = await eventually('the activity the cycle ran in', (spans) =>
    spans.find((s) => s.spanId === toActivity.spanId && s.traceId === toActivity.traceId),
  );
  assert.equal(activity.name, 'RunActivity:persistBids');
  // The workflow's own span for it (its RunWorkflow span ends with the auction, after this test).
  const scheduled = await eventually('the workflow scheduling the activity', (spans) =>
    ancestorsOf(activity, spans).find((s) => s.name === 'StartActivity:persistBids'),
  );
  assert.equal(scheduled.service, 'gavel-worker');

  // The API's log line for the request carries its trace id.
  const requestLine = apiLog
    .join('')
    .split('\n')
    .find((line) => line.includes(`/v1/auctions/${auctionId}/bids`) && line.includes('"trace_id"'));
  assert.ok(requestLine, 'a log line of the bid request has a trace id');
  assert.equal((JSON.parse(requestLine) as { trace_id: string }).trace_id, traceId);
});

test("when a sampled bid lands on an auction whose workflow is not traced, then the cycle that stores it is kept for the bid's sake, linked to it alone", async () => {
  const seller = await signUp(api.url, 'quiet-seller');
  const [ann, ben] = await Promise.all([signUp(api.url, 'ann'), signUp(api.url, 'ben')]);
  // No traceparent, and a ratio of 0: nothing of this auction's workflow is sampled.
  const auctionId = await createAuction(seller.token, 'Untraced clock');
  await bid(ann.token, auctionId, 1500);
  const { traceId, header } = sampledParent();
  await bid(ben.token, auctionId, 2500, header);
  await waitForRows(auctionId, 2);
  const persist = await eventually('the cycle that stored the sampled bid', persistLinkedTo(auctionId, traceId));
  const bidLinks = persist.links.filter((l) => l.attributes['gavel.bid.seq'] !== undefined);
  assert.deepEqual(
    bidLinks.map((l) => [l.traceId, Number(l.attributes['gavel.bid.seq'])]),
    [[traceId, 2]],
    'the unsampled bid kept no traceparent to link',
  );
});

async function waitForRows(auctionId: string, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = await database.db.execute(sql`SELECT count(*)::int AS n FROM bids WHERE auction_id = ${auctionId}`);
    if ((result.rows[0] as { n: number }).n === count) return;
    if (Date.now() > deadline) throw new Error('the bid was not persisted within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
