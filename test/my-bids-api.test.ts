/**
 * "My bids" over real HTTP with a real worker (bids reach Postgres through the auction workflow): one
 * item per auction bid on, latest bid first, with the caller's maximum, lead and result; the caller's
 * own bids on one auction, maxima included; and nobody else's maximum, ever.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { OwnBidPage } from '../api/auctions/responses.js';
import type { MyBid, MyBidPage } from '../api/notifications/responses.js';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import type { auctionWorkflow } from '../workflows/auction.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type BidJson, type ErrorJson } from './helpers/http.js';
import { eventually } from './helpers/listing.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

type User = { id: string; token: string };

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let seller: User;
before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: worker.taskQueue });
  seller = await signUp(api.url, 'seller');
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
});

async function createAuction(body: Record<string, unknown> = {}): Promise<AuctionJson> {
  const endsAt = new Date(Date.now() + 3600_000).toISOString();
  const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Lot', startingPrice: 1000, endsAt, ...body },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

async function bid(user: User, auctionId: string, body: Record<string, unknown>): Promise<BidJson> {
  const answer = await call<BidJson>(`${api.url}/v1/auctions/${auctionId}/bids`, { token: user.token, body });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

const myBids = (user: User, query = '') =>
  call<MyBidPage & ErrorJson>(`${api.url}/v1/users/me/bids${query}`, { token: user.token });

/** The user's "my bids" once the bids persisted so far add up to `bids` of theirs (the workflow persists within moments). */
async function myBidsOnce(user: User, bids: number, query = ''): Promise<MyBid[]> {
  let items: MyBid[] = [];
  await eventually(
    `${bids} bids persisted`,
    async () => {
      const page = await myBids(user, `?limit=100${query ? `&${query}` : ''}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      items = page.body.items;
      return items.reduce((sum, item) => sum + item.bidCount, 0) === bids;
    },
    15_000,
  );
  return items;
}

const finished = (auctionId: string) =>
  worker.client.workflow.getHandle<typeof auctionWorkflow>(auctionWorkflowId(auctionId)).result();

describe('my bids', () => {
  test('when a user has bid on nothing, then the list is empty', async () => {
    const user = await signUp(api.url, 'idle');
    const page = await myBids(user);
    assert.equal(page.status, 200);
    assert.deepEqual(page.body, { items: [], nextCursor: null });
  });

  test('when two bidders contest an auction, then each sees their own maximum, who leads, and the live price', async () => {
    const alice = await signUp(api.url, 'alice');
    const bob = await signUp(api.url, 'bob');
    const auction = await createAuction();
    await bid(alice, auction.id, { amount: 1777 });
    const bobs = await bid(bob, auction.id, { amount: 1200 });
    assert.equal(bobs.leading, false, 'Alice’s proxy answers Bob');
    const [aliceItem] = await myBidsOnce(alice, 1);
    const [bobItem] = await myBidsOnce(bob, 1);
    assert.equal(aliceItem!.auction.id, auction.id);
    assert.equal(aliceItem!.myMaximum, 1777);
    assert.equal(aliceItem!.leading, true);
    assert.equal(aliceItem!.bidCount, 1);
    assert.equal(aliceItem!.won, null, 'not over yet');
    assert.equal(aliceItem!.auction.currentPrice, bobs.currentPrice);
    assert.equal(aliceItem!.auction.minimumNextBid, bobs.minimumNextBid);
    assert.equal(aliceItem!.auction.status, 'open');
    assert.equal(aliceItem!.auction.currency, 'USD');
    assert.equal(bobItem!.myMaximum, 1200);
    assert.equal(bobItem!.leading, false);
    // Bob sees nothing of Alice's maximum, wherever he looks.
    assert.doesNotMatch(JSON.stringify((await myBids(bob)).body), /1777/);
    const history = await call<OwnBidPage>(`${api.url}/v1/auctions/${auction.id}/bids`, { token: bob.token });
    assert.equal(history.body.items.length, 2);
    assert.doesNotMatch(JSON.stringify(history.body), /1777|maxAmount/);
  });

  test('when a user bids on several auctions, then they come latest bid first, one item each, and pages follow on', async () => {
    const user = await signUp(api.url, 'busy');
    const [first, second, third] = await Promise.all([createAuction(), createAuction(), createAuction()]);
    await bid(user, first.id, { amount: 1100 });
    await bid(user, second.id, { amount: 1100 });
    await bid(user, third.id, { amount: 1100 });
    // A raise on the first makes it the latest again, and two bids on it, one item.
    await bid(user, first.id, { amount: 1500 });
    const items = await myBidsOnce(user, 4);
    assert.deepEqual(
      items.map((item) => [item.auction.id, item.bidCount, item.myMaximum]),
      [
        [first.id, 2, 1500],
        [third.id, 1, 1100],
        [second.id, 1, 1100],
      ],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await myBids(user, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.ok(page.body.items.length <= 1);
      seen.push(...page.body.items.map((item) => item.auction.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(
      seen,
      items.map((item) => item.auction.id),
    );
  });

  test('when auctions end, then they move from active to ended, and won says who won', async () => {
    const alice = await signUp(api.url, 'winner');
    const bob = await signUp(api.url, 'loser');
    const running = await createAuction();
    const sold = await createAuction({ endsAt: new Date(Date.now() + 3000).toISOString() });
    const cancelled = await createAuction();
    await bid(alice, running.id, { amount: 1000 });
    await bid(bob, sold.id, { amount: 1000 });
    await bid(alice, sold.id, { amount: 9000 });
    await bid(alice, cancelled.id, { amount: 1000 });
    const cancel = await call(`${api.url}/v1/auctions/${cancelled.id}/cancel`, {
      token: seller.token,
      body: { reason: 'withdrawn' },
    });
    assert.equal(cancel.status, 200);
    await Promise.all([finished(sold.id), finished(cancelled.id)]);
    const ended = await myBidsOnce(alice, 2, 'status=ended');
    const byId = new Map(ended.map((item) => [item.auction.id, item]));
    assert.deepEqual([...byId.keys()].sort(), [sold.id, cancelled.id].sort());
    assert.equal(byId.get(sold.id)!.won, true);
    assert.equal(byId.get(sold.id)!.auction.status, 'closed');
    assert.equal(byId.get(sold.id)!.auction.currentPrice, 1050, 'one increment above Bob’s maximum');
    assert.equal(byId.get(sold.id)!.leading, true);
    assert.equal(byId.get(cancelled.id)!.won, false);
    assert.equal(byId.get(cancelled.id)!.auction.status, 'cancelled');
    const active = (await myBids(alice, '?status=active')).body.items;
    assert.deepEqual(
      active.map((item) => [item.auction.id, item.won]),
      [[running.id, null]],
    );
    const bobs = await myBidsOnce(bob, 1, 'status=ended');
    assert.deepEqual(
      bobs.map((item) => [item.auction.id, item.won, item.leading]),
      [[sold.id, false, false]],
    );
  });
});

describe('my bids on one auction', () => {
  test('when a bidder lists their own bids, then only theirs come, each with its maximum', async () => {
    const alice = await signUp(api.url, 'own-a');
    const bob = await signUp(api.url, 'own-b');
    const auction = await createAuction();
    await bid(alice, auction.id, { amount: 1300 });
    await bid(bob, auction.id, { amount: 2468 });
    await bid(alice, auction.id, { amount: 2000 });
    await myBidsOnce(alice, 2);
    await myBidsOnce(bob, 1);
    const mine = await call<OwnBidPage>(`${api.url}/v1/auctions/${auction.id}/bids?bidder=me`, { token: alice.token });
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    assert.deepEqual(
      mine.body.items.map((item) => [item.seq, item.bidderId, item.maxAmount]),
      [
        [1, alice.id, 1300],
        [3, alice.id, 2000],
      ],
    );
    assert.doesNotMatch(JSON.stringify(mine.body), /2468/, 'never Bob’s maximum');
    const page = await call<OwnBidPage>(`${api.url}/v1/auctions/${auction.id}/bids?bidder=me&limit=1`, {
      token: alice.token,
    });
    const next = await call<OwnBidPage>(
      `${api.url}/v1/auctions/${auction.id}/bids?bidder=me&limit=1&cursor=${page.body.nextCursor}`,
      { token: alice.token },
    );
    assert.deepEqual(
      [...page.body.items, ...next.body.items].map((item) => item.seq),
      [1, 3],
    );
    // The public history, without a token, is as it was: every bid, no maxima.
    const history = await call<{ items: Record<string, unknown>[] }>(`${api.url}/v1/auctions/${auction.id}/bids`);
    assert.equal(history.status, 200);
    assert.equal(history.body.items.length, 3);
    for (const item of history.body.items) assert.equal(Object.hasOwn(item, 'maxAmount'), false);
  });

  test('when bidder=me comes without a valid token, then 401, and bidder=anything-else is a 400', async () => {
    const auction = await createAuction();
    const anonymous = await call<ErrorJson>(`${api.url}/v1/auctions/${auction.id}/bids?bidder=me`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, 'UNAUTHENTICATED');
    const forged = await call<ErrorJson>(`${api.url}/v1/auctions/${auction.id}/bids?bidder=me`, { token: 'x.y.z' });
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error.code, 'INVALID_TOKEN');
    const user = await signUp(api.url, 'other');
    const other = await call<ErrorJson>(`${api.url}/v1/auctions/${auction.id}/bids?bidder=${seller.id}`, {
      token: user.token,
    });
    assert.equal(other.status, 400);
    assert.equal(other.body.error.code, 'VALIDATION');
  });

  test('when the auction is unknown, then 404 NOT_FOUND', async () => {
    const user = await signUp(api.url, 'lost');
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      const answer = await call<ErrorJson>(`${api.url}/v1/auctions/${id}/bids?bidder=me`, { token: user.token });
      assert.equal(answer.status, 404, id);
      assert.equal(answer.body.error.code, 'NOT_FOUND');
    }
  });
});

describe('refusals', () => {
  test('when there is no token, then 401', async () => {
    const answer = await call<ErrorJson>(`${api.url}/v1/users/me/bids`);
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.code, 'UNAUTHENTICATED');
  });

  const bad: [string, string, string][] = [
    ['a forged cursor', `cursor=${Buffer.from('{"c":"1","i":"nope"}').toString('base64url')}`, 'INVALID_CURSOR'],
    ['a cursor that is not base64 JSON', 'cursor=%%%', 'INVALID_CURSOR'],
    [
      'a cursor past a bigint',
      `cursor=${Buffer.from(`{"c":"${'9'.repeat(19)}","i":"00000000-0000-4000-8000-000000000000"}`).toString('base64url')}`,
      'INVALID_CURSOR',
    ],
    ['an unknown status', 'status=won', 'VALIDATION'],
    ['an unknown parameter', 'stauts=ended', 'VALIDATION'],
    ['a limit of 0', 'limit=0', 'VALIDATION'],
  ];
  for (const [what, query, code] of bad) {
    test(`when the query has ${what}, then 400 ${code}`, async () => {
      const user = await signUp(api.url, 'bad');
      const answer = await myBids(user, `?${query}`);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, code);
    });
  }
});
