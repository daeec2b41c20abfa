/**
 * DELETE /v1/users/me over real HTTP, Postgres, Redis and a real worker: the account is anonymised, its
 * password, SSO links and refresh tokens are gone, its access tokens are refused (by this API process
 * at once, by another within the revocation poll), its bids stay (under the anonymised row), its
 * auctions nobody bid on are cancelled through the workflow, and its auctions with bids go on.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { REVOCATION_POLL_MS } from '../api/auth/revocations.js';
import { auctions, refreshTokens, userIdentities, users } from '../db/schema.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, type AuctionJson, type ErrorJson } from './helpers/http.js';
import { newEs256PrivateKeyPem } from './helpers/jwt.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

const PASSWORD = 'correct horse battery staple';

interface Member {
  id: string;
  email: string;
  token: string;
  refreshToken: string;
}

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
/** A second API process on the same services: it hears of a deletion through Redis only. */
let otherApi: TestApi;
before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  // One signing key for both processes, as in any deployment of several.
  const config = {
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: worker.taskQueue,
    JWT_PRIVATE_KEY: newEs256PrivateKeyPem(),
  };
  api = await startTestApi(config);
  otherApi = await startTestApi(config);
});
after(async () => {
  await Promise.all([api.close(), otherApi.close()]);
  await worker.stop();
  await database.drop();
});

async function join(name: string): Promise<Member> {
  const email = `${name}-${randomUUID()}@example.test`;
  const user = await call<{ id: string }>(`${api.url}/v1/users`, {
    body: { email, password: PASSWORD, displayName: name },
  });
  assert.equal(user.status, 201);
  const session = await call<{ accessToken: string; refreshToken: string }>(`${api.url}/v1/auth/token`, {
    body: { email, password: PASSWORD },
  });
  assert.equal(session.status, 200);
  return { id: user.body.id, email, token: session.body.accessToken, refreshToken: session.body.refreshToken };
}

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

async function createAuction(seller: Member, body: Record<string, unknown> = {}): Promise<AuctionJson> {
  const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Lot', startingPrice: 1000, endsAt: inSeconds(600), ...body },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

const bid = (bidder: Member, auctionId: string, amount: number) =>
  call<ErrorJson>(`${api.url}/v1/auctions/${auctionId}/bids`, { token: bidder.token, body: { amount } });

const auctionNow = async (id: string) => (await call<AuctionJson>(`${api.url}/v1/auctions/${id}`)).body;

async function eventually<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, withinMs = 15_000) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    assert.ok(Date.now() < deadline, `${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('deleting an account', () => {
  test('when a user deletes their account, then it is anonymised, their tokens are refused, their bids stay, and only their auctions without bids are cancelled', async () => {
    const [leaving, seller, bidder, another] = [
      await join('leaving'),
      await join('seller'),
      await join('bidder'),
      await join('another'),
    ];
    const unbidOpen = await createAuction(leaving);
    const unbidScheduled = await createAuction(leaving, { startsAt: inSeconds(3600), endsAt: inSeconds(7200) });
    const bidOn = await createAuction(leaving);
    assert.equal((await bid(bidder, bidOn.id, 1000)).status, 201);
    const elsewhere = await createAuction(seller);
    assert.equal((await bid(leaving, elsewhere.id, 1500)).status, 201);
    await database.db
      .insert(userIdentities)
      .values({ issuer: 'https://idp.example', subject: 'x', userId: leaving.id });
    // The other process has verified (and cached) the token before the deletion.
    assert.equal((await call(`${otherApi.url}/v1/users/me`, { token: leaving.token })).status, 200);

    const deleted = await call(`${api.url}/v1/users/me`, { method: 'DELETE', token: leaving.token });
    assert.equal(deleted.status, 204);
    const deletedAt = Date.now();

    // Tokens: refused here at once, and by the other process within the poll.
    const here = await call<ErrorJson>(`${api.url}/v1/users/me`, { token: leaving.token });
    assert.deepEqual([here.status, here.body.error.code], [401, 'INVALID_TOKEN']);
    assert.equal((await bid(leaving, elsewhere.id, 5000)).status, 401);
    await eventually(
      'the other API process still accepts the token',
      async () => (await call(`${otherApi.url}/v1/users/me`, { token: leaving.token })).status,
      (status) => status === 401,
    );
    assert.ok(Date.now() - deletedAt < REVOCATION_POLL_MS + 1500, `refused after ${Date.now() - deletedAt} ms`);
    const signIn = await call<ErrorJson>(`${api.url}/v1/auth/token`, {
      body: { email: leaving.email, password: PASSWORD },
    });
    assert.deepEqual([signIn.status, signIn.body.error.code], [401, 'INVALID_CREDENTIALS']);
    const refreshed = await call<ErrorJson>(`${api.url}/v1/auth/refresh`, {
      body: { refreshToken: leaving.refreshToken },
    });
    assert.deepEqual([refreshed.status, refreshed.body.error.code], [401, 'INVALID_REFRESH_TOKEN']);

    // The row: anonymised, kept.
    const [row] = await database.db.select().from(users).where(eq(users.id, leaving.id));
    assert.equal(row?.email, `deleted-${leaving.id}@deleted.invalid`);
    assert.equal(row?.displayName, 'Deleted user');
    assert.equal(row?.passwordHash, null);
    assert.ok(row?.deletedAt instanceof Date);
    assert.deepEqual(await database.db.select().from(userIdentities).where(eq(userIdentities.userId, leaving.id)), []);
    assert.deepEqual(await database.db.select().from(refreshTokens).where(eq(refreshTokens.userId, leaving.id)), []);
    // The address is free again.
    const again = await call(`${api.url}/v1/users`, {
      body: { email: leaving.email, password: PASSWORD, displayName: 'New' },
    });
    assert.equal(again.status, 201);

    // Auctions: those without bids are cancelled (Redis at once, Postgres through the workflow).
    for (const auction of [unbidOpen, unbidScheduled]) {
      assert.equal((await auctionNow(auction.id)).status, 'cancelled');
      const [stored] = await eventually(
        'the workflow records the cancel',
        () => database.db.select().from(auctions).where(eq(auctions.id, auction.id)),
        ([one]) => one?.status === 'cancelled',
      );
      assert.equal(stored?.cancelReason, 'The seller deleted their account');
    }
    // The one with a bid goes on, and still takes bids.
    assert.equal((await auctionNow(bidOn.id)).status, 'open');
    assert.equal((await bid(another, bidOn.id, 2000)).status, 201);

    // Their bid elsewhere stays, under the anonymised account (its seller sees which); that auction goes on.
    const asSeller = { token: seller.token };
    const history = await eventually(
      'the bid is persisted',
      async () =>
        (await call<{ items: { bidderId: string }[] }>(`${api.url}/v1/auctions/${elsewhere.id}/bids`, asSeller)).body,
      (page) => page.items.length === 1,
    );
    assert.equal(history.items[0]?.bidderId, leaving.id);
    assert.equal(
      (await call<AuctionJson>(`${api.url}/v1/auctions/${elsewhere.id}`, asSeller)).body.leaderId,
      leaving.id,
    );
    assert.equal((await bid(another, elsewhere.id, 5000)).status, 201);
  });

  test('when the request has no token, then 401 and nothing is deleted', async () => {
    const answer = await call<ErrorJson>(`${api.url}/v1/users/me`, { method: 'DELETE' });
    assert.deepEqual([answer.status, answer.body.error.code], [401, 'UNAUTHENTICATED']);
  });

  test('when a deleted user tries again with the same token, then 401', async () => {
    const member = await join('twice');
    assert.equal((await call(`${api.url}/v1/users/me`, { method: 'DELETE', token: member.token })).status, 204);
    const again = await call<ErrorJson>(`${api.url}/v1/users/me`, { method: 'DELETE', token: member.token });
    assert.deepEqual([again.status, again.body.error.code], [401, 'INVALID_TOKEN']);
  });
});
