/**
 * The watchlist over real HTTP (real Postgres, Redis, Temporal): watching and unwatching are
 * idempotent, the list shows live state newest-watched first and pages by an opaque cursor, the cap of
 * 1,000 holds under concurrent watches, and bad input answers 4xx in the error shape, changing nothing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { WatchlistPage } from '../api/notifications/responses.js';
import { WATCHLIST_MAX } from '../api/notifications/watchlist.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { eventually } from './helpers/listing.js';
import { call, signUp, type AuctionJson, type ErrorJson } from './helpers/http.js';

let database: TestDatabase;
let api: TestApi;
let seller: { id: string; token: string };
let bidder: { id: string; token: string };
before(async () => {
  database = await createTestDatabase();
  // A task queue no worker polls: nothing here needs an auction's workflow to run.
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: `watchlist-${randomUUID()}` });
  seller = await signUp(api.url, 'seller');
  bidder = await signUp(api.url, 'bidder');
});
after(async () => {
  await api.close();
  await database.drop();
});

async function createAuction(): Promise<AuctionJson> {
  const endsAt = new Date(Date.now() + 3600_000).toISOString();
  const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Watched lot', startingPrice: 1000, endsAt },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

const watch = (token: string | undefined, auctionId: string) =>
  call<ErrorJson | null>(`${api.url}/v1/users/me/watchlist/${auctionId}`, {
    method: 'PUT',
    ...(token ? { token } : {}),
  });
const unwatch = (token: string | undefined, auctionId: string) =>
  call<ErrorJson | null>(`${api.url}/v1/users/me/watchlist/${auctionId}`, {
    method: 'DELETE',
    ...(token ? { token } : {}),
  });
const listPage = (token: string, query = '') =>
  call<WatchlistPage & ErrorJson>(`${api.url}/v1/users/me/watchlist${query}`, { token });
const watchersOf = async (auctionId: string) =>
  (await call<{ watchers: number }>(`${api.url}/v1/auctions/${auctionId}`)).body.watchers;

/** Every id on the user's watchlist, walking its pages of `limit`. */
async function watchedIds(token: string, limit = 100): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await listPage(token, `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    ids.push(...page.body.items.map((item) => item.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  return ids;
}

describe('watching', () => {
  test('when a user watches an auction, then it is listed with its live price and the auction counts one watcher', async () => {
    const user = await signUp(api.url, 'watcher');
    const auction = await createAuction();
    assert.equal(await watchersOf(auction.id), 0);
    const answer = await watch(user.token, auction.id);
    assert.equal(answer.status, 204);
    assert.equal(answer.body, null, 'no body');
    // A bid moves the price in Redis: the watchlist shows it, as GET /v1/auctions/:id does.
    const bid = await call(`${api.url}/v1/auctions/${auction.id}/bids`, {
      token: bidder.token,
      body: { amount: 1500 },
    });
    assert.equal(bid.status, 201);
    const page = await listPage(user.token);
    assert.equal(page.status, 200);
    assert.equal(page.body.items.length, 1);
    const [item] = page.body.items;
    assert.equal(item!.id, auction.id);
    // A watcher is no bidder here: the leader by alias only (docs/api.md, "Bidder privacy").
    assert.equal(item!.leaderId, null);
    assert.equal(item!.leaderAlias, 'Bidder 1');
    assert.equal(item!.bidCount, 1);
    assert.equal(item!.status, 'open');
    assert.ok(Date.parse(item!.watchedAt) <= Date.now());
    assert.equal(page.body.nextCursor, null);
    assert.equal(await watchersOf(auction.id), 1);
  });

  test('when a user watches the same auction twice, then both answer 204 and it is listed once, as first watched', async () => {
    const user = await signUp(api.url, 'twice');
    const auction = await createAuction();
    assert.equal((await watch(user.token, auction.id)).status, 204);
    const first = (await listPage(user.token)).body.items[0]!.watchedAt;
    assert.equal((await watch(user.token, auction.id)).status, 204);
    const page = await listPage(user.token);
    assert.deepEqual(
      page.body.items.map((item) => [item.id, item.watchedAt]),
      [[auction.id, first]],
    );
    assert.equal(await watchersOf(auction.id), 1);
  });

  test('when a user unwatches, then it leaves the list, and unwatching again is still 204', async () => {
    const user = await signUp(api.url, 'unwatcher');
    const kept = await createAuction();
    const dropped = await createAuction();
    await watch(user.token, kept.id);
    await watch(user.token, dropped.id);
    assert.equal((await unwatch(user.token, dropped.id)).status, 204);
    assert.equal((await unwatch(user.token, dropped.id)).status, 204);
    assert.deepEqual(await watchedIds(user.token), [kept.id]);
    assert.equal(await watchersOf(dropped.id), 0);
    assert.equal(await watchersOf(kept.id), 1);
  });

  test('when two users watch one auction, then it counts two watchers and neither sees the other’s list', async () => {
    const alice = await signUp(api.url, 'alice');
    const bob = await signUp(api.url, 'bob');
    const shared = await createAuction();
    const alicesOnly = await createAuction();
    await watch(alice.token, shared.id);
    await watch(alice.token, alicesOnly.id);
    await watch(bob.token, shared.id);
    assert.equal(await watchersOf(shared.id), 2);
    assert.deepEqual(await watchedIds(bob.token), [shared.id]);
    assert.deepEqual(new Set(await watchedIds(alice.token)), new Set([shared.id, alicesOnly.id]));
    // Bob unwatching his changes nothing of Alice's.
    await unwatch(bob.token, shared.id);
    assert.equal((await watchedIds(alice.token)).length, 2);
  });
});

describe('paging', () => {
  test('when the list spans pages, then they come newest watched first, without repeats or gaps', async () => {
    const user = await signUp(api.url, 'pager');
    const auctions = await Promise.all(Array.from({ length: 5 }, () => createAuction()));
    for (const auction of auctions) assert.equal((await watch(user.token, auction.id)).status, 204);
    const newestFirst = auctions.map((auction) => auction.id).reverse();
    assert.deepEqual(await watchedIds(user.token, 2), newestFirst);
    assert.deepEqual(await watchedIds(user.token, 1), newestFirst);
    const first = await listPage(user.token, '?limit=2');
    assert.equal(first.body.items.length, 2);
    assert.notEqual(first.body.nextCursor, null);
  });

  const forged: [string, string][] = [
    ['not base64 JSON', 'garbage!'],
    ['JSON of another shape', Buffer.from('{"x":1}').toString('base64url')],
    ['a time past a bigint', Buffer.from(`{"c":"${'9'.repeat(19)}","i":"${randomUUID()}"}`).toString('base64url')],
    ['an id that is no uuid', Buffer.from('{"c":"1700000000000000","i":"1 OR 1=1"}').toString('base64url')],
  ];
  for (const [what, cursor] of forged) {
    test(`when the cursor is ${what}, then 400 INVALID_CURSOR`, async () => {
      const answer = await listPage(bidder.token, `?cursor=${encodeURIComponent(cursor)}`);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, 'INVALID_CURSOR');
    });
  }

  test('when the limit is out of range, then 400 VALIDATION', async () => {
    for (const limit of ['0', '101', 'x']) {
      const answer = await listPage(bidder.token, `?limit=${limit}`);
      assert.equal(answer.status, 400, limit);
      assert.equal(answer.body.error.code, 'VALIDATION');
    }
  });
});

describe('refusals change nothing', () => {
  for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
    test(`when the auction id is unknown (${id}), then PUT and DELETE answer 404 NOT_FOUND and the list is unchanged`, async () => {
      const user = await signUp(api.url, 'unknown');
      const auction = await createAuction();
      await watch(user.token, auction.id);
      for (const answer of [await watch(user.token, id), await unwatch(user.token, id)]) {
        assert.equal(answer.status, 404);
        assert.equal(answer.body?.error.code, 'NOT_FOUND');
      }
      assert.deepEqual(await watchedIds(user.token), [auction.id]);
    });
  }

  test('when there is no token or a bad one, then 401 on every watchlist route and nothing changes', async () => {
    const auction = await createAuction();
    for (const token of [undefined, 'not.a.jwt']) {
      const code = token ? 'INVALID_TOKEN' : 'UNAUTHENTICATED';
      const answers = [
        await watch(token, auction.id),
        await unwatch(token, auction.id),
        await call<ErrorJson>(`${api.url}/v1/users/me/watchlist`, token ? { token } : {}),
      ];
      for (const answer of answers) {
        assert.equal(answer.status, 401);
        assert.equal(answer.body?.error.code, code);
      }
    }
    assert.equal(await watchersOf(auction.id), 0);
  });
});

describe(`the cap of ${WATCHLIST_MAX}`, () => {
  /** Watches `n` auctions made in SQL (closed long ago, so the listing never shows them) for `userId`. */
  async function fillWatchlist(userId: string, n: number) {
    await database.pool.query(
      `WITH made AS (
         INSERT INTO auctions (seller_id, title, starting_price, starts_at, ends_at, status, outcome, closed_at)
         SELECT $1, 'Filler', 1000, now() - interval '61 days', now() - interval '60 days', 'closed', 'unsold',
                now() - interval '60 days'
         FROM generate_series(1, $2::int) RETURNING id)
       INSERT INTO watchlist (user_id, auction_id) SELECT $3, id FROM made`,
      [seller.id, n, userId],
    );
  }
  const watchedCount = async (userId: string) => {
    const { rows } = await database.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM watchlist WHERE user_id = $1',
      [userId],
    );
    return rows[0]!.n;
  };

  test(`when two watches race at ${WATCHLIST_MAX - 1}, then exactly one is 204 and the other 409 WATCHLIST_FULL`, async () => {
    const user = await signUp(api.url, 'collector');
    await fillWatchlist(user.id, WATCHLIST_MAX - 1);
    const [a, b] = await Promise.all([createAuction(), createAuction()]);
    // Both watches must be in flight at once, whatever the timing: the user's row is held here until
    // both wait on it. (Without the route's own lock they would both count 999 first, then both insert.)
    const holder = await database.pool.connect();
    let racing: Promise<[Awaited<ReturnType<typeof watch>>, Awaited<ReturnType<typeof watch>>]>;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [user.id]);
      racing = Promise.all([watch(user.token, a.id), watch(user.token, b.id)]);
      await eventually('both watches wait on the lock', async () => {
        const { rows } = await database.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
          [database.name],
        );
        return rows[0]!.n >= 2;
      });
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }
    const answers = await racing;
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [204, 409], JSON.stringify(answers));
    const refused = answers.find((answer) => answer.status === 409)!;
    assert.equal(refused.body?.error.code, 'WATCHLIST_FULL');
    assert.equal(await watchedCount(user.id), WATCHLIST_MAX);
    // At the cap: watching one already watched is still 204; another is 409; one unwatched makes room.
    const accepted = answers[0].status === 204 ? a : b;
    const other = accepted === a ? b : a;
    assert.equal((await watch(user.token, accepted.id)).status, 204);
    assert.equal((await watch(user.token, other.id)).status, 409);
    assert.equal(await watchedCount(user.id), WATCHLIST_MAX);
    assert.equal((await unwatch(user.token, accepted.id)).status, 204);
    assert.equal((await watch(user.token, other.id)).status, 204);
    assert.equal(await watchedCount(user.id), WATCHLIST_MAX);
  });
});
