/**
 * The API as a cluster of processes (API_PROCESSES=2, api/cluster.ts), started as deployed (api/main.ts):
 * both workers serve (each holds a Redis subscription for the auction its streams watch, a count only
 * Redis can give), a token made through one is taken by the other, a bid placed through one reaches the
 * streams of both, METRICS_PORT serves both workers' metrics summed, a worker killed is replaced, and
 * SIGTERM to the primary drains every worker (streams ended with a retry hint) and exits 0.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { auctionKeys } from '../lua/bidding-store.js';
import { closeRedis, createRedis, type RedisClient } from '../config/redis.js';
import { freePort, spawnApi, type ApiProcess } from './helpers/api-process.js';
import { testConfig } from './helpers/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { keepAliveClient, readToEnd } from './helpers/keep-alive-client.js';
import { eventually } from './helpers/listing.js';
import { subscriberCount } from './helpers/redis.js';

const SHUTDOWN_TIMEOUT_MS = 5000;

let database: TestDatabase;
let redis: RedisClient;
const started: ApiProcess[] = [];
before(async () => {
  database = await createTestDatabase();
  redis = createRedis(testConfig(), 'command');
});
after(async () => {
  for (const api of started) api.process.kill('SIGKILL'); // its workers exit with their primary's IPC channel
  await Promise.all(started.map((api) => api.exited));
  await closeRedis(redis);
  await database.drop();
});

async function spawnCluster(): Promise<{ api: ApiProcess; metricsUrl: string }> {
  const metricsPort = await freePort();
  const api = await spawnApi({
    API_PROCESSES: '2',
    METRICS_PORT: String(metricsPort),
    DATABASE_URL: database.url,
    // No worker: bids are decided in Redis, and the workflow is only started.
    TEMPORAL_TASK_QUEUE: `processes-${randomUUID()}`,
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  });
  started.push(api);
  return { api, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

/** The primary's child processes: its workers (Linux's /proc). */
const workerPids = (pid: number) =>
  fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

const metricValue = (text: string, series: string) => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

/**
 * SSE streams on the auction, each a connection of its own (the primary hands connections to the
 * workers in turn), opened until each process holds a subscription to the auction's channel: both are
 * serving it (one may still be starting at first).
 */
async function streamsOnEveryProcess(url: string, auctionId: string) {
  const channel = auctionKeys(auctionId).events;
  const streams: ReturnType<typeof readToEnd>[] = [];
  await eventually(
    'a subscription in each process',
    async () => {
      streams.push(readToEnd(`${url}/v1/auctions/${auctionId}/events`));
      await new Promise((resolve) => setTimeout(resolve, 200));
      return (await subscriberCount(redis, channel)) === 2;
    },
    15_000,
  );
  await eventually('every stream opened', () =>
    Promise.resolve(streams.every((stream) => stream.received().includes('event: snapshot'))),
  );
  return streams;
}

async function auctionOn(url: string): Promise<{ auctionId: string; bidder: { token: string } }> {
  // Tokens signed by one worker are accepted by the other: these requests go to both.
  const seller = await signUp(url, 'seller');
  const bidder = await signUp(url, 'bidder');
  const created = await call<AuctionJson>(`${url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Two processes', startingPrice: 100, endsAt: new Date(Date.now() + 120_000).toISOString() },
  });
  assert.equal(created.status, 201);
  return { auctionId: created.body.id, bidder };
}

test('when API_PROCESSES=2, then both processes serve one auction, its events reach the streams of both, metrics are summed, and SIGTERM drains them all and exits 0', async (t) => {
  const { api, metricsUrl } = await spawnCluster();
  const { url } = api;
  assert.equal(workerPids(api.process.pid!).length, 2);
  const { auctionId, bidder } = await auctionOn(url);
  const streams = await streamsOnEveryProcess(url, auctionId);
  t.diagnostic(`${streams.length} streams opened before both processes held one`);

  const placed = await call<{ seq: number }>(`${url}/v1/auctions/${auctionId}/bids`, {
    token: bidder.token,
    body: { amount: 150 },
  });
  assert.equal(placed.status, 201);
  // Published once in Redis, fanned out by each process to its own streams.
  await eventually('the bid on every stream', () =>
    Promise.resolve(streams.every((stream) => stream.received().includes('event: bid'))),
  );

  const scraped = await (await fetch(metricsUrl)).text();
  assert.equal(metricValue(scraped, 'gavel_sse_streams'), streams.length, 'the streams of both processes');
  assert.equal(metricValue(scraped, 'gavel_bids_total{decision="accepted",code=""}'), 1);
  assert.ok(metricValue(scraped, 'process_cpu_seconds_total')! > 0);

  const sigtermAt = Date.now();
  api.process.kill('SIGTERM');
  const exit = await api.exited;
  const exitMs = Date.now() - sigtermAt;
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.ok(exitMs < SHUTDOWN_TIMEOUT_MS, `exited ${exitMs} ms after SIGTERM`);
  t.diagnostic(`exited ${exitMs} ms after SIGTERM`);
  // Every stream, whichever process held it, was ended by the server with the hint to reconnect.
  for (const stream of streams) {
    const { text, complete } = await stream.ended;
    assert.ok(complete, 'the stream was ended, not cut');
    assert.match(text, /\nretry: 1000\n\n$/);
  }
  const newcomer = keepAliveClient();
  assert.deepEqual(await newcomer.send('GET', `${url}/healthz`), { kind: 'refused' });
  newcomer.close();
  await assert.rejects(fetch(metricsUrl));
});

test('when an API worker dies, then the primary starts another, which serves', async () => {
  const { api } = await spawnCluster();
  // Both workers serving first: the API is ready as soon as one is, and a worker that dies before it
  // ever listened is a start-up failure, which stops the primary by design.
  await streamsOnEveryProcess(api.url, (await auctionOn(api.url)).auctionId);
  const [victim, survivor] = workerPids(api.process.pid!) as [number, number];
  process.kill(victim, 'SIGKILL');
  await eventually(
    'a replacement',
    () => {
      const now = workerPids(api.process.pid!);
      return Promise.resolve(now.length === 2 && now.includes(survivor) && !now.includes(victim));
    },
    10_000,
  );
  const { auctionId } = await auctionOn(api.url);
  await streamsOnEveryProcess(api.url, auctionId);
  api.process.kill('SIGTERM');
  assert.deepEqual(await api.exited, { code: 0, signal: null });
});
