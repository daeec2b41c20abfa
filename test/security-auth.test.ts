/**
 * Forged tokens on the routes that change an auction, over real HTTP, Redis and Postgres: a real token
 * whose payload is rewritten to name someone else (the seller, to cancel; another bidder, to bid as
 * them) keeps its signature, which no longer matches. The other refusals (expired, another key,
 * `alg: none`, HS256 key confusion) share the same middleware and are in test/accounts-api.test.ts and
 * test/auction-api.test.ts; docs/SECURITY.md lists them all.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type ErrorJson } from './helpers/http.js';

let database: TestDatabase;
let api: TestApi;
let seller: { id: string; token: string };
let bidder: { id: string; token: string };
let rival: { id: string; token: string };
before(async () => {
  database = await createTestDatabase();
  // No worker: bids and cancels are decided in Redis, and these tests need no workflow to run.
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: 'security-auth' });
  [seller, bidder, rival] = [await signUp(api.url, 'seller'), await signUp(api.url, 'bidder'), await signUp(api.url)];
});
after(async () => {
  await api.close();
  await database.drop();
});

/** `token` with its payload's subject replaced, header and signature kept. */
function withSubject(token: string, sub: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
  return `${header}.${Buffer.from(JSON.stringify({ ...claims, sub })).toString('base64url')}.${signature}`;
}

const auctionNow = async (id: string) => (await call<AuctionJson>(`${api.url}/v1/auctions/${id}`)).body;

test('when a bidder rewrites their token to name the seller or a rival, then 401 INVALID_TOKEN and the auction is unchanged', async () => {
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Lot', startingPrice: 1000, endsAt: new Date(Date.now() + 600_000).toISOString() },
  });
  assert.equal(created.status, 201);
  const auctionId = created.body.id;
  // The bidder's own token is good, so the refusals below are for the forgery alone.
  assert.equal(
    (await call(`${api.url}/v1/auctions/${auctionId}/bids`, { token: bidder.token, body: { amount: 1000 } })).status,
    201,
  );
  const before = await auctionNow(auctionId);

  const attempts = [
    call<ErrorJson>(`${api.url}/v1/auctions/${auctionId}/cancel`, {
      token: withSubject(bidder.token, seller.id),
      body: { reason: 'not mine to cancel' },
    }),
    call<ErrorJson>(`${api.url}/v1/auctions/${auctionId}/bids`, {
      token: withSubject(bidder.token, rival.id),
      body: { amount: 99_000 },
    }),
  ];
  for (const answer of await Promise.all(attempts)) {
    assert.deepEqual([answer.status, answer.body.error.code], [401, 'INVALID_TOKEN']);
  }
  assert.deepEqual(await auctionNow(auctionId), before);
  assert.equal(before.status, 'open');
});
