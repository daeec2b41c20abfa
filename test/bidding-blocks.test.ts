/**
 * Unpaid strikes block bidding, over real HTTP on the real stack: two strikes within 90 days refuse a
 * bid with 403 BIDDING_BLOCKED and change nothing; one strike, or older ones, do not. Blocks are in
 * each API process's memory: loaded at start, told of a new strike on BIDDING_BLOCKS_CHANNEL, reloaded
 * in full now and then (a lost message heals), and dropped when their time passes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { closeRedis, createRedis, type RedisClient } from '../config/redis.js';
import { publish } from '../config/redis-pubsub.js';
import { BIDDING_BLOCKS_CHANNEL } from '../domain/settlement/strikes.js';
import { BiddingBlocks } from '../api/settlement/bidding-blocks.js';
import { EventHub } from '../api/sse/hub.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { testConfig } from './helpers/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertUser } from './helpers/fixtures.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { newEs256PrivateKeyPem } from './helpers/jwt.js';
import { eventually } from './helpers/listing.js';
import { daysAgo, insertStrike } from './helpers/strikes.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const WINDOW_MS = 90 * DAY_MS;

type User = { id: string; token: string };
interface BidAnswer {
  seq?: number;
  error?: { code: string; blockedUntil?: string };
}

let database: TestDatabase;
let worker: TestWorker;
let redis: RedisClient;
/** Up before any strike was written: it hears of strikes on the channel only. */
let api: TestApi;
/** Started after the strikes below were written: it loads them at start. */
let startedAfter: TestApi;
let seller: User;
let twice: User;
let once: User;
let longAgo: User;
let twiceStrikes: Date[];
before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  redis = createRedis(testConfig(), 'command');
  // One signing key for both processes, as in any deployment of several.
  const config = {
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: worker.taskQueue,
    JWT_PRIVATE_KEY: newEs256PrivateKeyPem(),
  };
  api = await startTestApi(config);
  [seller, twice, once, longAgo] = await Promise.all([
    signUp(api.url, 'seller'),
    signUp(api.url, 'twice'),
    signUp(api.url, 'once'),
    signUp(api.url, 'long-ago'),
  ]);
  twiceStrikes = [daysAgo(30), daysAgo(2)];
  for (const at of twiceStrikes) await insertStrike(database.db, twice.id, at);
  await insertStrike(database.db, once.id, daysAgo(1));
  for (const at of [daysAgo(91), daysAgo(120)]) await insertStrike(database.db, longAgo.id, at);
  startedAfter = await startTestApi(config);
});
after(async () => {
  await Promise.all([api.close(), startedAfter.close()]);
  await worker.stop();
  await closeRedis(redis);
  await database.drop();
});

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

async function createAuction(body: Record<string, unknown> = {}) {
  const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Lot', startingPrice: 1000, endsAt: inSeconds(120), ...body },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

const bid = (through: TestApi, auctionId: string, user: User, body: unknown) =>
  call<BidAnswer>(`${through.url}/v1/auctions/${auctionId}/bids`, { token: user.token, body });

const auctionNow = async (id: string) => (await call<AuctionJson>(`${api.url}/v1/auctions/${id}`)).body;

/** A fresh bidder and their strikes, written after both API processes started. */
async function struckAfterStart(strikes: Date[]): Promise<User> {
  const user = await signUp(api.url, 'struck');
  for (const at of strikes) await insertStrike(database.db, user.id, at);
  return user;
}

describe('loaded at start', () => {
  test('when a bidder has two unpaid strikes within 90 days, then 403 BIDDING_BLOCKED until the older ages out, and nothing changes', async () => {
    const auction = await createAuction({ buyNowPrice: 9000 });
    const before = await auctionNow(auction.id);
    for (const body of [{ amount: 1000 }, { amount: 9000, buyNow: true }]) {
      const answer = await bid(startedAfter, auction.id, twice, body);
      assert.equal(answer.status, 403, JSON.stringify(answer.body));
      assert.equal(answer.body.error?.code, 'BIDDING_BLOCKED');
      assert.equal(answer.body.error?.blockedUntil, new Date(twiceStrikes[0]!.getTime() + WINDOW_MS).toISOString());
    }
    assert.deepEqual(await auctionNow(auction.id), before);
    const history = await call<{ items: unknown[] }>(`${api.url}/v1/auctions/${auction.id}/bids`);
    assert.deepEqual(history.body.items, []);
  });

  test('when a bidder has one strike, or two older than 90 days, then they bid as anyone does', async () => {
    const auction = await createAuction();
    assert.equal((await bid(startedAfter, auction.id, once, { amount: 1000 })).status, 201);
    assert.equal((await bid(startedAfter, auction.id, longAgo, { amount: 2000 })).status, 201);
    assert.equal((await auctionNow(auction.id)).bidCount, 2);
  });
});

describe('told on the channel', () => {
  test('when a second strike is published after start, then every API process refuses the bidder within a second or two', async () => {
    const auction = await createAuction();
    const user = await struckAfterStart([daysAgo(10)]);
    assert.equal((await bid(api, auction.id, user, { amount: 1000 })).status, 201, 'one strike blocks nobody');
    await insertStrike(database.db, user.id, daysAgo(0));
    await publish(redis, BIDDING_BLOCKS_CHANNEL, user.id);
    // Polled with a bid too low to be accepted: 409 until the block lands, then 403.
    for (const through of [api, startedAfter]) {
      await eventually(
        'the bid is refused as blocked',
        async () => (await bid(through, auction.id, user, { amount: 1 })).status === 403,
        2000,
      );
    }
    const refused = await bid(api, auction.id, user, { amount: 5000 });
    assert.equal(refused.body.error?.code, 'BIDDING_BLOCKED');
    assert.equal((await auctionNow(auction.id)).bidCount, 1, 'no refused bid got in');
  });

  test('when the older of two strikes ages out, then the block drops and the bidder bids again', async () => {
    const auction = await createAuction();
    const user = await signUp(api.url, 'aging-out');
    // Counted for three more seconds: the block ends with it.
    const agingOut = new Date(Date.now() - WINDOW_MS + 3000);
    for (const at of [agingOut, daysAgo(1)]) await insertStrike(database.db, user.id, at);
    await publish(redis, BIDDING_BLOCKS_CHANNEL, user.id);
    await eventually(
      'the bid is refused as blocked',
      async () => (await bid(api, auction.id, user, { amount: 1 })).status === 403,
      2000,
    );
    const refused = await bid(api, auction.id, user, { amount: 1000 });
    const blockedUntilMs = Date.parse(refused.body.error!.blockedUntil!);
    assert.equal(blockedUntilMs, agingOut.getTime() + WINDOW_MS);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, blockedUntilMs - Date.now() + 50)));
    assert.equal((await bid(api, auction.id, user, { amount: 1000 })).status, 201);
  });

  test('when the message is not a user id, then it is ignored and bidding goes on', async () => {
    const auction = await createAuction();
    await publish(redis, BIDDING_BLOCKS_CHANNEL, "x' OR 1=1 --");
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await bid(api, auction.id, once, { amount: 1000 })).status, 201);
  });
});

describe('the periodic reload', () => {
  test('when a strike is never published, then the next full reload still blocks its bidder', async () => {
    const subscriber = createRedis(testConfig(), 'subscriber');
    const logger = pino({ level: 'silent' });
    const blocks = new BiddingBlocks({
      db: database.db,
      hub: new EventHub(subscriber, logger),
      policy: { toBlock: 2, windowDays: 90 },
      logger,
      reloadMs: 200,
    });
    try {
      await blocks.start();
      assert.equal(blocks.blockedUntil(twice.id), twiceStrikes[0]!.getTime() + WINDOW_MS, 'loaded at start');
      const user = await insertUser(database.db);
      const strikes = [daysAgo(5), daysAgo(4)];
      for (const at of strikes) await insertStrike(database.db, user.id, at);
      assert.equal(blocks.blockedUntil(user.id), null, 'nothing was published');
      await eventually(
        'the reload finds the strikes',
        () => Promise.resolve(blocks.blockedUntil(user.id) !== null),
        2000,
      );
      assert.equal(blocks.blockedUntil(user.id), strikes[0]!.getTime() + WINDOW_MS);
    } finally {
      blocks.stop();
      await closeRedis(subscriber);
    }
  });
});
