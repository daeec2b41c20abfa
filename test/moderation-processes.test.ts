/**
 * Blocks across real API processes (api/main.ts, as deployed): a block made through A refuses the
 * blocked account's existing token on B within the poll, without B asking Postgres or Redis per request;
 * an unblock reaches B the same way. Postgres is the record: an API process started after the set in
 * Redis lost the account's entry still refuses it (refilled at start), and a running one never forgets a
 * block because the set did.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { BLOCK_POLL_MS, BLOCKS_KEY } from '../api/moderation/account-blocks.js';
import { closeRedis, createRedis, type RedisClient } from '../config/redis.js';
import { spawnApi, type ApiProcess } from './helpers/api-process.js';
import { testConfig } from './helpers/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type ErrorJson } from './helpers/http.js';
import { newEs256PrivateKeyPem } from './helpers/jwt.js';
import { eventually } from './helpers/listing.js';

const ADMIN_EMAIL = `admin-${randomUUID()}@example.test`;

let database: TestDatabase;
let redis: RedisClient;
let env: Record<string, string>;
let apis: ApiProcess[] = [];

before(async () => {
  database = await createTestDatabase();
  const config = testConfig();
  redis = createRedis(config, 'command');
  env = {
    DATABASE_URL: database.url,
    REDIS_URL: config.REDIS_URL,
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    // No worker: bids are decided in Redis, and that is all these tests need.
    TEMPORAL_TASK_QUEUE: `moderation-${randomUUID()}`,
    // One key for all: a token signed by one is accepted by the others.
    JWT_PRIVATE_KEY: newEs256PrivateKeyPem(),
    ADMIN_EMAILS: ADMIN_EMAIL,
  };
  apis = await Promise.all([spawnApi(env), spawnApi(env)]);
});
after(async () => {
  for (const api of apis) api.process.kill('SIGKILL');
  await Promise.all(apis.map((api) => api.exited));
  await closeRedis(redis);
  await database.drop();
});

const bid = (url: string, token: string, auctionId: string, amount: number) =>
  call<ErrorJson>(`${url}/v1/auctions/${auctionId}/bids`, { token, body: { amount } });

test('when A blocks an account, then B refuses its existing token within the poll; unblocked, B takes it again; a process started after Redis lost the entry still refuses', async () => {
  const [a, b] = apis.map((api) => api.url) as [string, string];
  const password = 'correct horse battery staple';
  const created = await call<{ id: string }>(`${a}/v1/users`, {
    body: { email: ADMIN_EMAIL, password, displayName: 'Admin' },
  });
  assert.equal(created.status, 201);
  const adminToken = (
    await call<{ accessToken: string }>(`${a}/v1/auth/token`, { body: { email: ADMIN_EMAIL, password } })
  ).body.accessToken;
  const [seller, bidder] = await Promise.all([signUp(a, 'seller'), signUp(a, 'bidder')]);
  const auction = await call<AuctionJson>(`${a}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Watched by moderators', startingPrice: 100, endsAt: new Date(Date.now() + 600_000).toISOString() },
  });
  assert.equal(auction.status, 201);
  const auctionId = auction.body.id;
  let amount = 100;
  // B has verified (and cached) the bidder's token before the block.
  assert.equal((await bid(b, bidder.token, auctionId, (amount += 100))).status, 201);

  const blockedAt = Date.now();
  const blocked = await call(`${a}/v1/admin/users/${bidder.id}/block`, {
    token: adminToken,
    body: { reason: 'fraud' },
  });
  assert.equal(blocked.status, 200, JSON.stringify(blocked.body));
  const onA = await bid(a, bidder.token, auctionId, (amount += 100));
  assert.deepEqual([onA.status, onA.body.error.code], [403, 'ACCOUNT_BLOCKED'], 'A, at once');
  await eventually(
    'B refuses the token it had cached',
    async () => (await bid(b, bidder.token, auctionId, (amount += 100))).status === 403,
    BLOCK_POLL_MS * 3,
  );
  const tookMs = Date.now() - blockedAt;
  assert.ok(tookMs <= BLOCK_POLL_MS * 3, `B took ${tookMs} ms`);

  // Redis loses the entry (a flush, a failover without it): B, running, keeps the block it knows; C,
  // started now, refills the set from Postgres and refuses too.
  assert.equal(await redis.zrem(BLOCKS_KEY, bidder.id), 1);
  await new Promise((resolve) => setTimeout(resolve, BLOCK_POLL_MS * 2));
  const onB = await bid(b, bidder.token, auctionId, (amount += 100));
  assert.deepEqual([onB.status, onB.body.error.code], [403, 'ACCOUNT_BLOCKED'], 'B forgot nothing');
  const c = await spawnApi(env);
  apis.push(c);
  const onC = await bid(c.url, bidder.token, auctionId, (amount += 100));
  assert.deepEqual([onC.status, onC.body.error.code], [403, 'ACCOUNT_BLOCKED'], 'C refilled from Postgres');
  assert.notEqual(await redis.zscore(BLOCKS_KEY, bidder.id), null, 'the set has the entry again');

  // Unblocked through C: A and B take the token again within the poll.
  const unblocked = await call(`${c.url}/v1/admin/users/${bidder.id}/unblock`, {
    token: adminToken,
    body: { reason: 'appeal upheld' },
  });
  assert.equal(unblocked.status, 200);
  for (const url of [a, b]) {
    await eventually(
      `${url} accepts again`,
      async () => (await bid(url, bidder.token, auctionId, (amount += 100))).status === 201,
      BLOCK_POLL_MS * 3,
    );
  }
});
