/**
 * Live events over SSE, through real HTTP and Redis pub/sub: replay after Last-Event-ID with no
 * repeats and no gaps, one Redis subscription per auction per process, streams ended at shutdown.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRedis, type RedisClient } from '../config/redis.js';
import { auctionKeys } from '../lua/bidding-store.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { testConfig } from './helpers/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type BidJson } from './helpers/http.js';
import { subscriberCount } from './helpers/redis.js';
import { watchEvents } from './helpers/sse.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let redis: RedisClient;
let seller: { id: string; token: string };
let bidders: { id: string; token: string }[];
before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  api = await startTestApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: worker.taskQueue,
    SSE_HEARTBEAT_MS: '100',
  });
  redis = createRedis(testConfig(), 'worker');
  seller = await signUp(api.url, 'seller');
  bidders = [await signUp(api.url, 'ann'), await signUp(api.url, 'ben')];
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
  redis.disconnect();
});

async function auctionWithBids(count: number): Promise<string> {
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Watched', startingPrice: 1000, endsAt: new Date(Date.now() + 120_000).toISOString() },
  });
  for (let i = 0; i < count; i++) await bid(created.body.id, i);
  return created.body.id;
}

async function bid(auctionId: string, i: number) {
  const answer = await call<BidJson>(`${api.url}/v1/auctions/${auctionId}/bids`, {
    token: bidders[i % 2]!.token,
    body: { amount: 2000 + i * 1000 },
  });
  assert.equal(answer.status, 201);
  return answer.body;
}

const eventually = async (check: () => boolean | Promise<boolean>, withinMs = 10_000) => {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

test('when a watcher connects, then it gets a snapshot with the current state, then live bids', async () => {
  const auctionId = await auctionWithBids(2);
  const watcher = watchEvents(`${api.url}/v1/auctions/${auctionId}/events`);
  const snapshot = await watcher.waitFor('snapshot');
  assert.equal(snapshot.id, '2');
  assert.equal((snapshot.data as AuctionJson).bidCount, 2);
  const placed = await bid(auctionId, 2);
  await eventually(() => watcher.events.some((event) => event.event === 'bid'));
  const live = watcher.events.find((event) => event.event === 'bid')!;
  assert.equal(live.id, '3');
  assert.equal((live.data as { currentPrice: number }).currentPrice, placed.currentPrice);
  await watcher.close();
});

test('when a watcher resumes with Last-Event-ID, then it gets exactly the bids it missed, then the snapshot', async () => {
  const auctionId = await auctionWithBids(5);
  const watcher = watchEvents(`${api.url}/v1/auctions/${auctionId}/events`, { 'last-event-id': '2' });
  await watcher.waitFor('snapshot');
  await bid(auctionId, 5);
  await eventually(() => watcher.events.filter((event) => event.event === 'bid').length === 4);
  assert.deepEqual(
    watcher.events.map((event) => `${event.event}:${event.id}`),
    ['bid:3', 'bid:4', 'bid:5', 'snapshot:5', 'bid:6'],
  );
  await watcher.close();
});

test('when the missed bids are already in Postgres, then the replay reads them there without repeats', async () => {
  const auctionId = await auctionWithBids(4);
  await eventually(async () => {
    const history = await call<{ items: unknown[] }>(`${api.url}/v1/auctions/${auctionId}/bids`);
    return history.body.items.length === 4;
  });
  const watcher = watchEvents(`${api.url}/v1/auctions/${auctionId}/events`, { 'last-event-id': '0' });
  await watcher.waitFor('snapshot');
  assert.deepEqual(
    watcher.events.map((event) => `${event.event}:${event.id}`),
    ['bid:1', 'bid:2', 'bid:3', 'bid:4', 'snapshot:4'],
  );
  await watcher.close();
});

test('when Last-Event-ID is beyond any seq, then the watcher gets the snapshot alone, not an error', async () => {
  const auctionId = await auctionWithBids(2);
  const watcher = watchEvents(`${api.url}/v1/auctions/${auctionId}/events`, { 'last-event-id': '9999999999' });
  const snapshot = await watcher.waitFor('snapshot');
  assert.equal(snapshot.id, '2');
  assert.deepEqual(
    watcher.events.map((event) => event.event),
    ['snapshot'],
  );
  await watcher.close();
});

test('when a stream is idle, then heartbeat comments keep arriving at the configured interval', async () => {
  const auctionId = await auctionWithBids(1);
  const controller = new AbortController();
  const response = await fetch(`${api.url}/v1/auctions/${auctionId}/events`, { signal: controller.signal });
  const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const decoder = new TextDecoder();
  let text = '';
  const started = Date.now();
  while ((text.match(/^: ping$/gm)?.length ?? 0) < 3 && Date.now() - started < 5000) {
    const { value } = await reader.read();
    text += decoder.decode(value, { stream: true });
  }
  assert.equal(text.match(/^: ping$/gm)?.length, 3, 'three heartbeats within 5 s at a 100 ms interval');
  controller.abort();
  await reader.cancel().catch(() => undefined);
});

test('when many watchers follow one auction, then this process holds one Redis subscription for them', async () => {
  const auctionId = await auctionWithBids(1);
  const channel = auctionKeys(auctionId).events;
  const subscribers = () => subscriberCount(redis, channel);
  const watchers = Array.from({ length: 5 }, () => watchEvents(`${api.url}/v1/auctions/${auctionId}/events`));
  await Promise.all(watchers.map((watcher) => watcher.waitFor('snapshot')));
  assert.equal(await subscribers(), 1);
  await bid(auctionId, 1);
  for (const watcher of watchers) await watcher.waitFor('bid');
  await Promise.all(watchers.map((watcher) => watcher.close()));
  await eventually(async () => (await subscribers()) === 0);
});

test('when the API shuts down, then open streams end (with a retry hint) instead of holding the drain', async () => {
  const auctionId = await auctionWithBids(1);
  const watcher = watchEvents(`${api.url}/v1/auctions/${auctionId}/events`);
  await watcher.waitFor('snapshot');
  assert.equal(api.hub.streamCount, 1);
  api.hub.closeAll(1000);
  await watcher.ended;
  assert.equal(api.hub.streamCount, 0);

  // A stream opened during the drain (on a keep-alive connection) is ended at once, not held open.
  const late = watchEvents(`${api.url}/v1/auctions/${auctionId}/events`);
  await late.ended;
  assert.deepEqual(late.events, []);
  assert.equal(api.hub.streamCount, 0);
});
