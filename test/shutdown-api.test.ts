/**
 * SIGTERM on a real API process (api/main.ts) while bidders hammer it over keep-alive connections:
 * every request the server read gets a complete response (the drain answers with `Connection: close`,
 * so no client reuses a socket that is about to close), every accepted bid is one the client heard
 * of, /readyz answers 503 during the drain, SSE streams end with a retry hint, new connections are
 * refused, and the process exits 0 within SHUTDOWN_TIMEOUT_MS.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { BiddingStore } from '../lua/bidding-store.js';
import { freePort, spawnApi, type ApiProcess } from './helpers/api-process.js';
import { testConfig } from './helpers/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { keepAliveClient, readToEnd, type Outcome } from './helpers/keep-alive-client.js';

const SHUTDOWN_TIMEOUT_MS = 5000;
const BIDDERS = 8;

let database: TestDatabase;
let redis: Redis;
let api: ApiProcess | null = null;
before(async () => {
  database = await createTestDatabase();
  redis = new Redis(testConfig().REDIS_URL);
});
after(async () => {
  api?.process.kill('SIGKILL');
  await api?.exited;
  redis.disconnect();
  await database.drop();
});

test('when the API is SIGTERMed under a bid load, then it answers what it read, ends streams with a retry hint and exits 0', async (t) => {
  // No worker is needed: bids are decided in Redis, and the workflow is only started.
  api = await spawnApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: `shutdown-${randomUUID()}`,
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  });
  const { url } = api;
  const seller = await signUp(url, 'seller');
  const bidders = await Promise.all(Array.from({ length: BIDDERS }, (_, i) => signUp(url, `bidder${i}`)));
  const created = await call<AuctionJson>(`${url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Drained', startingPrice: 100, endsAt: new Date(Date.now() + 120_000).toISOString() },
  });
  assert.equal(created.status, 201);
  const auctionId = created.body.id;

  const streams = [
    readToEnd(`${url}/v1/auctions/${auctionId}/events`),
    readToEnd(`${url}/v1/auctions/${auctionId}/events`),
  ];
  const readiness = keepAliveClient();
  const ready = await readiness.send('GET', `${url}/readyz`);
  assert.equal(ready.kind === 'response' && ready.status, 200);

  // Each bidder bids back to back on its own keep-alive connection until the server refuses it.
  let sigtermAt = Infinity;
  const outcomes: { outcome: Outcome; sentAt: number }[] = [];
  const acknowledged: { seq: number; bidderId: string }[] = [];
  let minimum = 100;
  const bidding = bidders.map(async (bidder) => {
    const client = keepAliveClient();
    for (;;) {
      const sentAt = Date.now();
      const outcome = await client.send('POST', `${url}/v1/auctions/${auctionId}/bids`, {
        token: bidder.token,
        body: { amount: minimum + Math.floor(Math.random() * 500) },
      });
      outcomes.push({ outcome, sentAt });
      if (outcome.kind !== 'response') break;
      const body = outcome.body as { seq?: number; minimumNextBid?: number; error?: { minimumNextBid?: number } };
      if (outcome.status === 201) acknowledged.push({ seq: body.seq!, bidderId: bidder.id });
      minimum = Math.max(minimum, body.minimumNextBid ?? body.error?.minimumNextBid ?? 0);
    }
    client.close();
  });

  const streamsOpen = Date.now() + 10_000;
  while (!streams.every((stream) => stream.received().includes('event: snapshot')) && Date.now() < streamsOpen) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 1000)); // bids flowing
  sigtermAt = Date.now();
  api.process.kill('SIGTERM');

  // The open keep-alive connection still reaches the draining process: /readyz tells balancers to go.
  let drainingReadiness: Outcome;
  do drainingReadiness = await readiness.send('GET', `${url}/readyz`);
  while (drainingReadiness.kind === 'response' && drainingReadiness.status === 200);
  readiness.close();
  assert.equal(drainingReadiness.kind, 'response');
  assert.equal(drainingReadiness.kind === 'response' && drainingReadiness.status, 503);
  assert.equal(drainingReadiness.kind === 'response' && drainingReadiness.connection, 'close');
  // The listener closed as the drain began: a new connection is refused, not queued.
  const newcomer = keepAliveClient();
  assert.deepEqual(await newcomer.send('GET', `${url}/healthz`), { kind: 'refused' });
  newcomer.close();

  const exit = await api.exited;
  const exitMs = Date.now() - sigtermAt;
  await Promise.all(bidding);
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.ok(exitMs < SHUTDOWN_TIMEOUT_MS, `exited ${exitMs} ms after SIGTERM`);
  t.diagnostic(`exited ${exitMs} ms after SIGTERM`);

  // No request was reset: each got a whole response, or its connection was refused (nothing sent).
  const resets = outcomes.filter(({ outcome }) => outcome.kind === 'reset');
  assert.deepEqual(resets, []);
  for (const { outcome } of outcomes) {
    if (outcome.kind !== 'response') continue;
    assert.ok(outcome.status === 201 || outcome.body?.error, JSON.stringify(outcome));
  }
  // Only the drain answers with Connection: close (keep-alive before it), so these are the bids in flight
  // at the signal, or sent on a kept-alive connection before the process had read it: all answered.
  const answeredInDrain = outcomes.filter(
    ({ outcome }) => outcome.kind === 'response' && outcome.connection === 'close',
  );
  assert.ok(answeredInDrain.length > 0, 'bids in flight at SIGTERM were answered, with Connection: close');
  assert.ok(
    answeredInDrain.every(({ sentAt }) => sentAt >= sigtermAt - 1000),
    'no answer before the drain said Connection: close',
  );
  t.diagnostic(`${outcomes.length} requests, ${answeredInDrain.length} of them answered during the drain`);
  assert.equal(outcomes.filter(({ outcome }) => outcome.kind === 'refused').length, BIDDERS);

  // Every bid Redis accepted is one its bidder was told of: none was accepted and then lost.
  const stream = await new BiddingStore(redis).readBids(auctionId, 0, 100_000);
  assert.ok(stream.length > 0);
  assert.deepEqual(
    stream.map((bid) => [bid.seq, bid.bidderId]),
    acknowledged.sort((a, b) => a.seq - b.seq).map((bid) => [bid.seq, bid.bidderId]),
  );

  // Both streams were ended by the server, with the hint to reconnect (to another process) in 1 s.
  for (const stream of streams) {
    const { text, complete } = await stream.ended;
    assert.ok(complete, 'the stream was ended, not cut');
    assert.match(text, /\nretry: 1000\n\n$/);
  }
});

test('when METRICS_PORT is set, then /metrics is served on that port alone, never on the API port, and stops with the API', async () => {
  const metricsPort = await freePort();
  const separate = await spawnApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: `metrics-${randomUUID()}`,
    METRICS_PORT: String(metricsPort),
  });
  try {
    assert.equal((await fetch(`${separate.url}/healthz`)).status, 200);
    const onApiPort = await fetch(`${separate.url}/metrics`);
    await onApiPort.body?.cancel();
    assert.equal(onApiPort.status, 404);
    const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(scraped.status, 200);
    assert.match(
      await scraped.text(),
      /http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/,
    );
    const elsewhere = await fetch(`http://127.0.0.1:${metricsPort}/v1/auctions`);
    await elsewhere.body?.cancel();
    assert.equal(elsewhere.status, 404);
  } finally {
    separate.process.kill('SIGTERM');
  }
  assert.equal((await separate.exited).code, 0);
  await assert.rejects(fetch(`http://127.0.0.1:${metricsPort}/metrics`));
});
