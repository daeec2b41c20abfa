/**
 * The flash-sale routes over real HTTP, on the test stack: creation, reads, claims (idempotent, every
 * refusal, bad input that changes nothing), the waitlist, cancel, the ALTCHA challenge, the event stream,
 * and 2,000 concurrent claims that never oversell. No worker runs the sale workflow here: these tests
 * hold what the API decides (in Redis), not what the workflow does later.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createChallenge, solveChallenge } from 'altcha-lib/v1';
import { count, eq } from 'drizzle-orm';
import { createTokenService } from '../api/auth/tokens.js';
import type { ClaimedUnits, PublicSale } from '../api/sales/responses.js';
import { DEVELOPMENT_ALTCHA_HMAC_KEY } from '../config/env.js';
import { sales } from '../db/sales-schema.js';
import { SALE_LIMITS } from '../domain/sales/sale.js';
import { saleWorkflowId } from '../domain/temporal-names.js';
import { saleKeys } from '../lua/sale-store.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type ErrorJson } from './helpers/http.js';
import { newEs256PrivateKeyPem } from './helpers/jwt.js';
import { watchEvents } from './helpers/sse.js';

interface ErrorDetails extends ErrorJson {
  error: ErrorJson['error'] & { available?: number; waitlistOpen?: boolean; held?: number; status?: string };
}

const PRIVATE_KEY = newEs256PrivateKeyPem();
let database: TestDatabase;
let api: TestApi;
let seller: { id: string; token: string };
let buyer: { id: string; token: string };
let buyer2: { id: string; token: string };
let buyer3: { id: string; token: string };
/** Mints tokens as the API does (same key), for users with no account: claims need only a verified id. */
let mint: (userId: string) => Promise<string>;

before(async () => {
  database = await createTestDatabase();
  // A task queue no worker polls: the workflow is started, and nothing runs it.
  api = await startTestApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: `sales-${randomUUID()}`,
    JWT_PRIVATE_KEY: PRIVATE_KEY,
    SALE_CHALLENGE_MAX_NUMBER: '2000',
  });
  const tokens = await createTokenService({ privateKey: PRIVATE_KEY, keyId: null, issuer: 'gavel', ttlSeconds: 900 });
  mint = async (userId) => (await tokens.issue(userId)).accessToken;
  seller = await signUp(api.url, 'seller');
  buyer = await signUp(api.url, 'buyer');
  buyer2 = await signUp(api.url, 'buyer2');
  buyer3 = await signUp(api.url, 'buyer3');
});
after(async () => {
  await api.close();
  await database.drop();
});

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

async function createSale(body: Record<string, unknown> = {}): Promise<PublicSale> {
  const answer = await call<PublicSale>(`${api.url}/v1/sales`, {
    token: seller.token,
    body: { title: 'Sneakers', price: 1999, stock: 10, ...body },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

const saleNow = async (id: string) => (await call<PublicSale>(`${api.url}/v1/sales/${id}`)).body;

const claim = (saleId: string, body: unknown, token = buyer.token, headers: Record<string, string> = {}) =>
  call<ClaimedUnits & ErrorDetails>(`${api.url}/v1/sales/${saleId}/claims`, { token, body, headers });

const join = (saleId: string, body: unknown, token = buyer2.token) =>
  call<{ position: number } & ErrorDetails>(`${api.url}/v1/sales/${saleId}/waitlist`, { token, body });

const leave = (saleId: string, token = buyer2.token) =>
  call<ErrorDetails>(`${api.url}/v1/sales/${saleId}/waitlist`, { method: 'DELETE', token });

const cancel = (saleId: string, body?: unknown, token = seller.token) =>
  call<PublicSale & ErrorDetails>(`${api.url}/v1/sales/${saleId}/cancel`, {
    method: 'POST',
    token,
    ...(body === undefined ? {} : { body }),
  });

const countsOf = (s: PublicSale) => ({ available: s.available, held: s.held, sold: s.sold, status: s.status });

describe('creating and reading', () => {
  test('when a seller creates a sale with only the required fields, then the defaults apply and the workflow is started', async () => {
    const before = Date.now();
    const sale = await createSale();
    assert.deepEqual(
      { ...sale, id: undefined, startsAt: undefined },
      {
        id: undefined,
        sellerId: seller.id,
        title: 'Sneakers',
        description: '',
        category: null,
        currency: 'USD',
        price: 1999,
        stock: 10,
        available: 10,
        held: 0,
        sold: 0,
        perUserLimit: 1,
        holdSeconds: 600,
        requireChallenge: false,
        status: 'open',
        startsAt: undefined,
        endsAt: null,
      },
    );
    assert.ok(Math.abs(Date.parse(sale.startsAt) - before) < 5_000);
    assert.deepEqual(await saleNow(sale.id), sale);
    const description = await api.deps.temporal.workflow.getHandle(saleWorkflowId(sale.id)).describe();
    assert.equal(description.type, 'saleWorkflow');
    assert.equal(description.status.name, 'RUNNING');
  });

  test('when every optional field is given, then the sale has them', async () => {
    const startsAt = inSeconds(3600);
    const endsAt = inSeconds(7200);
    const sale = await createSale({
      description: 'Limited run',
      category: 'fashion',
      currency: 'EUR',
      perUserLimit: 3,
      startsAt,
      endsAt,
      holdSeconds: 60,
      requireChallenge: true,
    });
    assert.equal(sale.status, 'scheduled');
    assert.equal(sale.startsAt, new Date(startsAt).toISOString());
    assert.equal(sale.endsAt, new Date(endsAt).toISOString());
    assert.equal(sale.category, 'fashion');
    assert.equal(sale.currency, 'EUR');
    assert.equal(sale.perUserLimit, 3);
    assert.equal(sale.holdSeconds, 60);
    assert.equal(sale.requireChallenge, true);
  });

  test('when a create body is malformed in any way, then it is a 400 VALIDATION and no sale is made', async () => {
    const before = (await database.db.select({ value: count() }).from(sales))[0]!.value;
    const bad: Record<string, unknown>[] = [
      { price: 1999, stock: 10 },
      { title: '   ', price: 1999, stock: 10 },
      { title: 'x', stock: 10 },
      { title: 'x', price: 0, stock: 10 },
      { title: 'x', price: -5, stock: 10 },
      { title: 'x', price: 19.99, stock: 10 },
      { title: 'x', price: '1999', stock: 10 },
      { title: 'x', price: SALE_LIMITS.maxPrice + 1, stock: 10 },
      { title: 'x', price: 1999 },
      { title: 'x', price: 1999, stock: 0 },
      { title: 'x', price: 1999, stock: 1_000_001 },
      { title: 'x', price: 1999, stock: 2 ** 53 },
      { title: 'x', price: 1999, stock: 10, perUserLimit: 0 },
      { title: 'x', price: 1999, stock: 10, perUserLimit: SALE_LIMITS.maxPerUserLimit + 1 },
      { title: 'x', price: 1999, stock: 10, holdSeconds: 59 },
      { title: 'x', price: 1999, stock: 10, holdSeconds: SALE_LIMITS.maxHoldSeconds + 1 },
      { title: 'x', price: 1999, stock: 10, startsAt: inSeconds(-120) },
      { title: 'x', price: 1999, stock: 10, startsAt: 'tomorrow' },
      { title: 'x', price: 1999, stock: 10, startsAt: inSeconds(600), endsAt: inSeconds(300) },
      { title: 'x', price: 1999, stock: 10, endsAt: inSeconds(-10) },
      { title: 'x', price: 1999, stock: 10, endsAt: inSeconds(31 * 24 * 3600) },
      { title: 'x', price: 1999, stock: 10, currency: 'usd' },
      { title: 'x', price: 1999, stock: 10, category: 'nope' },
      { title: 'x', price: 1999, stock: 10, requireChallenge: 'yes' },
      { title: 'x', price: 1999, stock: 10, available: 5 },
    ];
    for (const body of bad) {
      const answer = await call<ErrorJson>(`${api.url}/v1/sales`, { token: seller.token, body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.code, 'VALIDATION', JSON.stringify(body));
    }
    const malformed = await call<ErrorJson>(`${api.url}/v1/sales`, { token: seller.token, raw: '{"title":' });
    assert.equal(malformed.status, 400);
    assert.equal((await call(`${api.url}/v1/sales`, { body: { title: 'x', price: 1, stock: 1 } })).status, 401);
    const after = (await database.db.select({ value: count() }).from(sales))[0]!.value;
    assert.equal(after, before);
  });

  test('when an id is unknown or malformed, then every sale route answers 404', async () => {
    for (const id of [randomUUID(), 'not-a-uuid', '1']) {
      const answers = await Promise.all([
        call<ErrorJson>(`${api.url}/v1/sales/${id}`),
        claim(id, { quantity: 1 }),
        join(id, { quantity: 1 }),
        leave(id),
        cancel(id),
        call<ErrorJson>(`${api.url}/v1/sales/${id}/challenge`),
        call<ErrorJson>(`${api.url}/v1/sales/${id}/events`),
      ]);
      for (const answer of answers) {
        assert.equal(answer.status, 404, `${id}: ${JSON.stringify(answer.body)}`);
        assert.equal(answer.body.error.code, 'NOT_FOUND');
      }
    }
  });
});

describe('claims', () => {
  test('when a buyer claims, then the units are held for holdSeconds and the answer says what to pay', async () => {
    const sale = await createSale({ perUserLimit: 3, holdSeconds: 120 });
    const answer = await claim(sale.id, { quantity: 2 });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const { orderId, holdExpiresAt, ...rest } = answer.body;
    assert.match(orderId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(rest, { saleId: sale.id, quantity: 2, total: 3998, currency: 'USD' });
    assert.ok(Math.abs(Date.parse(holdExpiresAt) - (Date.now() + 120_000)) < 5_000, holdExpiresAt);
    assert.deepEqual(countsOf(await saleNow(sale.id)), { available: 8, held: 2, sold: 0, status: 'open' });
  });

  test('when a claim is retried with the same Idempotency-Key, then it answers the same order and holds once', async () => {
    const sale = await createSale({ perUserLimit: 5 });
    const headers = { 'idempotency-key': `retry-${randomUUID()}` };
    const first = await claim(sale.id, { quantity: 1 }, buyer.token, headers);
    const again = await claim(sale.id, { quantity: 1 }, buyer.token, headers);
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.equal(again.body.orderId, first.body.orderId);
    assert.deepEqual(again.body, first.body);
    assert.equal((await saleNow(sale.id)).held, 1);
    // The key is the buyer's own: another buyer's same key is another claim.
    const other = await claim(sale.id, { quantity: 1 }, buyer2.token, headers);
    assert.notEqual(other.body.orderId, first.body.orderId);
  });

  test('when a claim body or header is malformed, then it is a 400 and nothing is held', async () => {
    const sale = await createSale({ perUserLimit: 5 });
    await claim(sale.id, { quantity: 1 });
    const before = countsOf(await saleNow(sale.id));
    const bodies: unknown[] = [
      {},
      { quantity: 0 },
      { quantity: -1 },
      { quantity: 1.5 },
      { quantity: 2 ** 53 },
      { quantity: Number.MAX_SAFE_INTEGER },
      { quantity: '1' },
      { quantity: null },
      { quantity: SALE_LIMITS.maxPerUserLimit + 1 },
      { quantity: 1, extra: true },
      [1],
      'one',
    ];
    for (const body of bodies) {
      const answer = await claim(sale.id, body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      // A bare JSON string never reaches the route: express.json refuses what is no object or array.
      assert.ok(['VALIDATION', 'MALFORMED_JSON'].includes(answer.body.error.code), JSON.stringify(body));
    }
    for (const key of ['has space', 'x'.repeat(129), 'ü']) {
      const answer = await claim(sale.id, { quantity: 1 }, buyer.token, { 'idempotency-key': key });
      assert.equal(answer.status, 400, key);
    }
    assert.equal((await claim(sale.id, { quantity: 1 }, '')).status, 401);
    assert.deepEqual(countsOf(await saleNow(sale.id)), before);
  });

  test('when units run out, then a claim is 409 SOLD_OUT with the waitlist open while units are held', async () => {
    const sale = await createSale({ stock: 3, perUserLimit: 2 });
    assert.equal((await claim(sale.id, { quantity: 2 })).status, 201);
    const short = await claim(sale.id, { quantity: 2 }, buyer2.token);
    assert.equal(short.status, 409);
    assert.equal(short.body.error.code, 'SOLD_OUT');
    assert.equal(short.body.error.available, 1);
    assert.equal(short.body.error.waitlistOpen, true);
    assert.equal((await claim(sale.id, { quantity: 1 }, buyer2.token)).status, 201);
    const none = await claim(sale.id, { quantity: 1 }, buyer3.token);
    assert.equal(none.body.error.code, 'SOLD_OUT');
    assert.equal(none.body.error.available, 0);
    assert.deepEqual(countsOf(await saleNow(sale.id)), { available: 0, held: 3, sold: 0, status: 'sold_out' });
  });

  test('when a buyer would pass the per-user limit, units held and bought counting together, then it is 409 LIMIT_REACHED', async () => {
    const sale = await createSale({ stock: 10, perUserLimit: 2 });
    assert.equal((await claim(sale.id, { quantity: 3 })).body.error.code, 'LIMIT_REACHED');
    const first = await claim(sale.id, { quantity: 1 });
    assert.equal(first.status, 201);
    assert.equal((await claim(sale.id, { quantity: 2 })).body.error.code, 'LIMIT_REACHED');
    // The first hold is paid (as the workflow settles it): bought units still count.
    await api.deps.sales.settleHolds(sale.id, [first.body.orderId], [], []);
    assert.equal((await saleNow(sale.id)).sold, 1);
    assert.equal((await claim(sale.id, { quantity: 2 })).body.error.code, 'LIMIT_REACHED');
    assert.equal((await claim(sale.id, { quantity: 1 })).status, 201);
    const over = await claim(sale.id, { quantity: 1 });
    assert.equal(over.status, 409);
    assert.equal(over.body.error.code, 'LIMIT_REACHED');
    assert.deepEqual(countsOf(await saleNow(sale.id)), { available: 8, held: 1, sold: 1, status: 'open' });
  });

  test('when the sale has not started, then a claim is 409 SALE_NOT_OPEN', async () => {
    const sale = await createSale({ startsAt: inSeconds(3600) });
    const early = await claim(sale.id, { quantity: 1 });
    assert.equal(early.status, 409);
    assert.equal(early.body.error.code, 'SALE_NOT_OPEN');
    assert.equal((await saleNow(sale.id)).available, 10);
  });

  test('when the seller claims on their own sale, then it is 403 SELLER_CANNOT_BUY', async () => {
    const sale = await createSale();
    const own = await claim(sale.id, { quantity: 1 }, seller.token);
    assert.equal(own.status, 403);
    assert.equal(own.body.error.code, 'SELLER_CANNOT_BUY');
  });
});

describe('cancelling', () => {
  test('when the seller cancels, then the sale is cancelled at once, claims are refused, and a second cancel is 409', async () => {
    const sale = await createSale({ perUserLimit: 2 });
    await claim(sale.id, { quantity: 1 });
    const notSeller = await cancel(sale.id, undefined, buyer.token);
    assert.equal(notSeller.status, 403);
    assert.equal(notSeller.body.error.code, 'NOT_SELLER');
    assert.equal((await cancel(sale.id, { reason: '' })).status, 400);
    assert.equal((await cancel(sale.id, { reason: 'x', more: 1 })).status, 400);
    const cancelled = await cancel(sale.id, { reason: 'Supplier fell through' });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal((await saleNow(sale.id)).status, 'cancelled');
    const after = await claim(sale.id, { quantity: 1 });
    assert.equal(after.status, 409);
    assert.equal(after.body.error.code, 'SALE_NOT_OPEN');
    const again = await cancel(sale.id);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'SALE_ENDED');
    assert.equal(again.body.error.status, 'cancelled');
  });

  test('when every unit is sold, then a cancel is 409 SOLD_OUT and the sale stays sold out', async () => {
    const sale = await createSale({ stock: 1 });
    const held = await claim(sale.id, { quantity: 1 });
    assert.equal(held.status, 201, JSON.stringify(held.body));
    // The payment, as the sale's workflow applies it (no worker runs here).
    await api.deps.sales.settleHolds(sale.id, [(held.body as ClaimedUnits).orderId], [], []);
    const refused = await cancel(sale.id);
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, 'SOLD_OUT');
    assert.equal(refused.body.error.status, 'sold_out');
    const now = await saleNow(sale.id);
    assert.equal(now.status, 'sold_out');
    assert.equal(now.sold, 1);
  });

  test('when the seller cancels without a body, then that is a cancel too', async () => {
    const sale = await createSale();
    const cancelled = await cancel(sale.id);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'cancelled');
  });
});

describe('the waitlist', () => {
  test('when a sold-out sale has units held, then buyers join in order, keep their place, and leave', async () => {
    const sale = await createSale({ stock: 2, perUserLimit: 2 });
    assert.equal((await join(sale.id, { quantity: 1 })).body.error.code, 'UNITS_AVAILABLE');
    assert.equal((await claim(sale.id, { quantity: 2 })).status, 201);
    const first = await join(sale.id, { quantity: 1 });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body, { position: 1 });
    assert.deepEqual((await join(sale.id, { quantity: 2 }, buyer3.token)).body, { position: 2 });
    assert.deepEqual((await join(sale.id, { quantity: 2 })).body, { position: 1 }, 'joining again keeps the place');
    assert.equal((await leave(sale.id)).status, 204);
    const notWaiting = await leave(sale.id);
    assert.equal(notWaiting.status, 404);
    assert.equal(notWaiting.body.error.code, 'NOT_WAITING');
    assert.deepEqual((await join(sale.id, { quantity: 1 })).body, { position: 2 }, 'back at the end');
  });

  test('when a buyer may not wait, then the refusal says why', async () => {
    const sale = await createSale({ stock: 2, perUserLimit: 2 });
    assert.equal((await join(sale.id, { quantity: 0 })).status, 400);
    assert.equal((await join(sale.id, { quantity: 1, more: 1 })).status, 400);
    const held = await claim(sale.id, { quantity: 2 });
    const full = await join(sale.id, { quantity: 1 }, buyer.token);
    assert.equal(full.status, 409);
    assert.equal(full.body.error.code, 'LIMIT_REACHED');
    const own = await join(sale.id, { quantity: 1 }, seller.token);
    assert.equal(own.status, 403);
    assert.equal(own.body.error.code, 'SELLER_CANNOT_BUY');
    // Everything sold, nothing held: no unit can come back.
    await api.deps.sales.settleHolds(sale.id, [held.body.orderId], [], []);
    const gone = await join(sale.id, { quantity: 1 });
    assert.equal(gone.status, 409);
    assert.equal(gone.body.error.code, 'SOLD_OUT');
    const cancelled = await createSale();
    await cancel(cancelled.id);
    assert.equal((await join(cancelled.id, { quantity: 1 })).body.error.code, 'SALE_NOT_OPEN');
  });
});

/** Solves a challenge as a browser's ALTCHA widget does, and encodes the payload it would send. */
async function solve(challenge: {
  algorithm: string;
  challenge: string;
  salt: string;
  signature: string;
  maxnumber: number;
}) {
  const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber)
    .promise;
  assert.ok(solution, 'solved');
  const payload = { ...challenge, number: solution.number };
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}

const challengeOf = async (saleId: string) => {
  const answer = await call<{
    algorithm: string;
    challenge: string;
    salt: string;
    signature: string;
    maxnumber: number;
  }>(`${api.url}/v1/sales/${saleId}/challenge`);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body;
};

describe('the challenge', () => {
  test('when a sale asks for one, then a solved challenge serves exactly one claim on that sale', async () => {
    const sale = await createSale({ requireChallenge: true, perUserLimit: 5 });
    const missing = await claim(sale.id, { quantity: 1 });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'CHALLENGE_REQUIRED');
    const challenge = await challengeOf(sale.id);
    assert.equal(challenge.maxnumber, 2000);
    const payload = await solve(challenge);
    const first = await claim(sale.id, { quantity: 1 }, buyer.token, { 'x-altcha': payload });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    for (const token of [buyer.token, buyer2.token]) {
      const reused = await claim(sale.id, { quantity: 1 }, token, { 'x-altcha': payload });
      assert.equal(reused.status, 409);
      assert.equal(reused.body.error.code, 'CHALLENGE_USED');
    }
    assert.equal((await saleNow(sale.id)).held, 1);
  });

  test('when a solution is forged, stale, or for another sale, then it is 400 CHALLENGE_INVALID', async () => {
    const sale = await createSale({ requireChallenge: true, perUserLimit: 5 });
    const other = await createSale({ requireChallenge: true });
    const challenge = await challengeOf(sale.id);
    const payload = JSON.parse(Buffer.from(await solve(challenge), 'base64').toString()) as Record<string, unknown>;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
    const signed = async (options: { expires: Date; saleId: string; hmacKey: string }) => {
      const made = await createChallenge({
        hmacKey: options.hmacKey,
        maxNumber: 2000,
        expires: options.expires,
        params: { sale: options.saleId },
      });
      return encode({
        ...made,
        number: (await solveChallenge(made.challenge, made.salt, made.algorithm, 2000).promise)!.number,
      });
    };
    const forgeries = [
      encode({ ...payload, number: (payload.number as number) + 1 }),
      encode({ ...payload, signature: 'ab'.repeat(32) }),
      encode({ ...payload, salt: String(payload.salt).replace(sale.id, other.id) }),
      encode({ ...payload, algorithm: 'SHA-1' }),
      encode({ nothing: true }),
      Buffer.from('not json').toString('base64'),
      'AAAA',
      // Signed with the right key, but expired.
      await signed({ expires: new Date(Date.now() - 1000), saleId: sale.id, hmacKey: DEVELOPMENT_ALTCHA_HMAC_KEY }),
      // Signed with another key.
      await signed({ expires: new Date(Date.now() + 60_000), saleId: sale.id, hmacKey: 'x'.repeat(40) }),
    ];
    for (const forged of forgeries) {
      const answer = await claim(sale.id, { quantity: 1 }, buyer.token, { 'x-altcha': forged });
      assert.equal(answer.status, 400, forged);
      assert.equal(answer.body.error.code, 'CHALLENGE_INVALID', forged);
    }
    const malformed = await claim(sale.id, { quantity: 1 }, buyer.token, { 'x-altcha': 'not base64!' });
    assert.equal(malformed.status, 400);
    // A genuine solution for this sale, sent to the other: refused there, still good here.
    const wrongSale = await claim(other.id, { quantity: 1 }, buyer.token, { 'x-altcha': encode(payload) });
    assert.equal(wrongSale.body.error.code, 'CHALLENGE_INVALID');
    assert.equal((await claim(sale.id, { quantity: 1 }, buyer.token, { 'x-altcha': encode(payload) })).status, 201);
    assert.equal((await saleNow(sale.id)).held, 1);
    assert.equal((await saleNow(other.id)).held, 0);
  });

  test('when a sale asks for no challenge, then none is issued and claims need none', async () => {
    const sale = await createSale();
    const answer = await call<ErrorJson>(`${api.url}/v1/sales/${sale.id}/challenge`);
    assert.equal(answer.status, 409);
    assert.equal(answer.body.error.code, 'CHALLENGE_NOT_REQUIRED');
    assert.equal((await claim(sale.id, { quantity: 1 })).status, 201);
  });
});

describe('the event stream', () => {
  test('when a client watches, then it gets the snapshot, then stock and sold_out events, each id the version', async () => {
    const sale = await createSale({ stock: 2 });
    const watcher = watchEvents(`${api.url}/v1/sales/${sale.id}/events`);
    try {
      const snapshot = await watcher.waitFor('snapshot');
      assert.deepEqual(snapshot.data, await saleNow(sale.id));
      assert.equal(snapshot.id, '0');
      assert.equal((await claim(sale.id, { quantity: 1 })).status, 201);
      const stock = await watcher.waitFor('stock');
      assert.deepEqual(stock.data, { version: 1, available: 1, held: 1, sold: 0, status: 'open' });
      assert.equal(stock.id, '1');
      assert.equal((await claim(sale.id, { quantity: 1 }, buyer2.token)).status, 201);
      const soldOut = await watcher.waitFor('sold_out');
      assert.deepEqual(soldOut.data, { version: 2, available: 0, held: 2, sold: 0, status: 'sold_out' });
      assert.equal(soldOut.id, '2');
    } finally {
      await watcher.close();
    }
  });

  test('when a client comes back with Last-Event-ID, then it gets the counts now if they moved, else nothing', async () => {
    const sale = await createSale({ stock: 2, perUserLimit: 2 });
    await claim(sale.id, { quantity: 2 });
    const behind = watchEvents(`${api.url}/v1/sales/${sale.id}/events`, { 'last-event-id': '0' });
    const current = watchEvents(`${api.url}/v1/sales/${sale.id}/events`, { 'last-event-id': '1' });
    try {
      const stock = await behind.waitFor('stock');
      assert.deepEqual(stock.data, { version: 1, available: 0, held: 2, sold: 0, status: 'sold_out' });
      assert.equal(stock.id, '1');
      assert.equal((await behind.waitFor('sold_out')).id, '1');
      await cancel(sale.id);
      const cancelled = await current.waitFor('cancelled');
      assert.equal(cancelled.id, '2');
      assert.deepEqual(
        current.events.map((e) => e.event),
        ['cancelled'],
        'nothing before the live event: the client was up to date',
      );
      assert.equal(
        behind.events.some((e) => e.event === 'snapshot'),
        false,
      );
    } finally {
      await Promise.all([behind.close(), current.close()]);
    }
  });

  test('when many claims land at once, then watchers get fewer stock events than claims, the last with the final counts', async () => {
    const sale = await createSale({ stock: 100, perUserLimit: 100 });
    const watcher = watchEvents(`${api.url}/v1/sales/${sale.id}/events`);
    try {
      await watcher.waitFor('snapshot');
      const answers = await Promise.all(Array.from({ length: 40 }, () => claim(sale.id, { quantity: 1 })));
      assert.ok(answers.every((a) => a.status === 201));
      const deadline = Date.now() + 5_000;
      const last = () => watcher.events.filter((e) => e.event === 'stock').at(-1);
      while ((last()?.data as { version?: number } | undefined)?.version !== 40 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.deepEqual(last()?.data, { version: 40, available: 60, held: 40, sold: 0, status: 'open' });
      const stockEvents = watcher.events.filter((e) => e.event === 'stock').length;
      assert.ok(stockEvents < 40, `${stockEvents} stock events for 40 claims`);
    } finally {
      await watcher.close();
    }
  });
});

describe('under load', () => {
  test('when 1,000 buyers send 2,000 claims at once on 100 units, then exactly 100 are held and nobody passes the limit', async () => {
    const sale = await createSale({ stock: 100, perUserLimit: 2 });
    const users = Array.from({ length: 1000 }, () => randomUUID());
    const tokens = await Promise.all(users.map(mint));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    type ClaimAnswer = { status: number; body: { quantity?: number; error?: { code: string } } };
    const post = (token: string, quantity: number) =>
      new Promise<ClaimAnswer>((resolve, reject) => {
        const payload = JSON.stringify({ quantity });
        const request = http.request(`${api.url}/v1/sales/${sale.id}/claims`, {
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        });
        request.on('error', reject);
        request.on('response', (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as ClaimAnswer['body'] }),
          );
        });
        request.end(payload);
      });
    try {
      const answers = await Promise.all(
        users.flatMap((userId, i) =>
          [1, 2].map(async (n) => ({
            userId,
            quantity: (i + n) % 2 === 0 ? 2 : 1,
            ...(await post(tokens[i]!, (i + n) % 2 === 0 ? 2 : 1)),
          })),
        ),
      );
      const statuses = new Set(answers.map((a) => a.status));
      assert.deepEqual(
        [...statuses].filter((s) => s !== 201 && s !== 409),
        [],
        'every answer 201 or 409',
      );
      const granted = new Map<string, number>();
      for (const a of answers.filter((a) => a.status === 201)) {
        granted.set(a.userId, (granted.get(a.userId) ?? 0) + a.body.quantity!);
      }
      const total = [...granted.values()].reduce((sum, q) => sum + q, 0);
      assert.equal(total, 100, 'exactly the stock is held');
      assert.ok(Math.max(...granted.values()) <= 2, 'nobody over the per-user limit');
      for (const a of answers.filter((a) => a.status === 409)) {
        assert.ok(['SOLD_OUT', 'LIMIT_REACHED'].includes(a.body.error!.code), a.body.error!.code);
      }
      assert.deepEqual(countsOf(await saleNow(sale.id)), { available: 0, held: 100, sold: 0, status: 'sold_out' });
      // Redis's own per-buyer counts agree with the answers.
      const units = await api.deps.redis.hgetall(saleKeys(sale.id).units);
      assert.deepEqual(
        Object.fromEntries(Object.entries(units).map(([user, n]) => [user, Number(n)])),
        Object.fromEntries(granted),
      );
      const [row] = await database.db.select({ stock: sales.stock }).from(sales).where(eq(sales.id, sale.id));
      assert.equal(row!.stock, 100);
    } finally {
      agent.destroy();
    }
  });
});
