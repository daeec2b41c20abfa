/**
 * Hostile input at the edges, over real HTTP and Redis: bodies too large or not JSON, and values that
 * become part of Redis key names (the Idempotency-Key header, the auction id in the path) crafted to
 * reach another auction's keys or break its `{auctionId}` hash tag. Each is refused with a 4xx in the
 * error shape, and no auction's keys change.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { MAX_BODY_BYTES } from '../api/app.js';
import { auctionKeys } from '../lua/bidding-store.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { testConfig } from './helpers/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type ErrorJson } from './helpers/http.js';

let database: TestDatabase;
let api: TestApi;
let redis: Redis;
let seller: { id: string; token: string };
let bidder: { id: string; token: string };
let auction: AuctionJson;
let other: AuctionJson;
before(async () => {
  database = await createTestDatabase();
  // No worker: bids are decided in Redis, and these tests need no workflow to run.
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: 'security-input' });
  redis = new Redis(testConfig().REDIS_URL);
  seller = await signUp(api.url, 'seller');
  bidder = await signUp(api.url, 'bidder');
  const create = async () => {
    const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, {
      token: seller.token,
      body: { title: 'Lot', startingPrice: 1000, endsAt: new Date(Date.now() + 600_000).toISOString() },
    });
    assert.equal(answer.status, 201);
    return answer.body;
  };
  [auction, other] = [await create(), await create()];
  // Both have a bid and an idempotent reply stored, so there is something to disturb.
  for (const target of [auction, other]) {
    const placed = await call(`${api.url}/v1/auctions/${target.id}/bids`, {
      token: bidder.token,
      body: { amount: 1000 },
      headers: { 'idempotency-key': 'first' },
    });
    assert.equal(placed.status, 201);
  }
});
after(async () => {
  await api.close();
  await database.drop();
  redis.disconnect();
});

/** Every key of an auction (its hash tag is literal in a SCAN pattern) and what each holds. */
async function redisStateOf(auctionId: string) {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `auction:{${auctionId}}*`, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  const keys = found.sort();
  const keyTypes = await Promise.all(keys.map((key) => redis.type(key)));
  return {
    keys,
    keyTypes,
    state: await redis.hgetall(auctionKeys(auctionId).state),
    bids: await redis.xrange(auctionKeys(auctionId).bids, '-', '+'),
  };
}

/** Keys anywhere that name this bidder's idempotent replies. */
async function idempotencyKeysOf(bidderId: string) {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*:idem:${bidderId}:*`, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found.sort();
}

describe('request bodies', () => {
  const bidsUrl = () => `${api.url}/v1/auctions/${auction.id}/bids`;
  const post = (url: string, body: string | Uint8Array, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', headers: { authorization: `Bearer ${bidder.token}`, ...headers }, body });
  const codeOf = async (response: Response) => ((await response.json()) as ErrorJson).error.code;

  test('when a bid body is over the cap, then 413 PAYLOAD_TOO_LARGE and the auction is unchanged', async () => {
    const before = await redisStateOf(auction.id);
    const oversize = JSON.stringify({ amount: 5000, pad: 'x'.repeat(MAX_BODY_BYTES) });
    const response = await post(bidsUrl(), oversize, { 'content-type': 'application/json' });
    assert.equal(response.status, 413);
    assert.equal(await codeOf(response), 'PAYLOAD_TOO_LARGE');
    assert.deepEqual(await redisStateOf(auction.id), before);
  });

  test('when an oversize body comes chunked, with no Content-Length to refuse it by, then 413 all the same', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(4096));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Bounded: the server stops reading at the cap; this ends well past it regardless.
        if (sent++ < (MAX_BODY_BYTES / chunk.length) * 4) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(bidsUrl(), {
      method: 'POST',
      headers: { authorization: `Bearer ${bidder.token}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    });
    assert.equal(response.status, 413);
    assert.equal(await codeOf(response), 'PAYLOAD_TOO_LARGE');
  });

  for (const [what, contentType] of [
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['XML', 'application/xml'],
  ] as const) {
    test(`when a body is sent as ${what}, then 415 UNSUPPORTED_MEDIA_TYPE`, async () => {
      const response = await post(bidsUrl(), '{"amount": 5000}', { 'content-type': contentType });
      assert.equal(response.status, 415);
      assert.equal(await codeOf(response), 'UNSUPPORTED_MEDIA_TYPE');
    });
  }

  test('when a body comes with no Content-Type at all, then 415 too', async () => {
    // fetch gives a byte body no Content-Type of its own.
    const response = await post(`${api.url}/v1/users`, new TextEncoder().encode('{"email":"a@b.test"}'), {});
    assert.equal(response.status, 415);
    assert.equal(await codeOf(response), 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('when a POST has no body, then 400 VALIDATION (nothing to call the wrong type)', async () => {
    const response = await fetch(bidsUrl(), { method: 'POST', headers: { authorization: `Bearer ${bidder.token}` } });
    assert.equal(response.status, 400);
    assert.equal(await codeOf(response), 'VALIDATION');
  });
});

describe('values that become Redis key names', () => {
  const hostileKeys: [string, string][] = [
    ['an opening brace', 'a{b'],
    ['a closing brace', 'a}b'],
    ['another auction’s hash tag', '{other}'],
    ['a colon', 'first:x'],
    ['a space', 'has space'],
    ['a tab', 'has\ttab'],
    ['a glob', '*'],
    ['a path', '../first'],
    ['129 characters', 'k'.repeat(129)],
    ['10 KB', 'k'.repeat(10 * 1024)],
  ];
  for (const [what, value] of hostileKeys) {
    test(`when an Idempotency-Key has ${what}, then 400 VALIDATION and no auction's keys change`, async () => {
      const key = value.replace('other', other.id);
      const [mine, theirs, replies] = [
        await redisStateOf(auction.id),
        await redisStateOf(other.id),
        await idempotencyKeysOf(bidder.id),
      ];
      const answer = await call<ErrorJson>(`${api.url}/v1/auctions/${auction.id}/bids`, {
        token: bidder.token,
        body: { amount: 9000 },
        headers: { 'idempotency-key': key },
      });
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, 'VALIDATION');
      assert.deepEqual(await redisStateOf(auction.id), mine);
      assert.deepEqual(await redisStateOf(other.id), theirs);
      assert.deepEqual(await idempotencyKeysOf(bidder.id), replies, 'no reply stored under any key');
    });
  }

  const hostileIds: [string, () => string][] = [
    ['another auction’s id with a key suffix', () => `${other.id}}:bids`],
    ['another auction’s id in braces', () => `{${other.id}}`],
    ['a glob', () => '*'],
    ['a hash tag and a colon', () => `x}:{${other.id}`],
  ];
  for (const [what, idOf] of hostileIds) {
    test(`when the auction id in the path is ${what}, then 404 NOT_FOUND and the other auction is unchanged`, async () => {
      const theirs = await redisStateOf(other.id);
      const path = `${api.url}/v1/auctions/${encodeURIComponent(idOf())}`;
      const answers = [
        await call<ErrorJson>(`${path}/bids`, { token: bidder.token, body: { amount: 9000 } }),
        await call<ErrorJson>(`${path}/cancel`, { token: seller.token, body: { reason: 'hostile' } }),
        await call<ErrorJson>(path),
        await call<ErrorJson>(`${path}/bids`),
      ];
      for (const answer of answers) assert.deepEqual([answer.status, answer.body.error.code], [404, 'NOT_FOUND']);
      assert.deepEqual(await redisStateOf(other.id), theirs);
      assert.equal(theirs.state.status, 'open');
    });
  }

  test('when a valid Idempotency-Key is used, then its reply is stored under this auction’s hash tag only', async () => {
    const answer = await call(`${api.url}/v1/auctions/${auction.id}/bids`, {
      token: bidder.token,
      body: { amount: 9000 },
      headers: { 'idempotency-key': 'fine_key-1' },
    });
    assert.equal(answer.status, 201);
    assert.ok(
      (await redisStateOf(auction.id)).keys.includes(auctionKeys(auction.id).idempotency(bidder.id, 'fine_key-1')),
    );
    assert.equal((await idempotencyKeysOf(bidder.id)).filter((key) => key.endsWith(':fine_key-1')).length, 1);
  });
});
