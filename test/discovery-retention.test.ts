/**
 * Ended auctions leave the listing DISCOVERY_ENDED_LISTED_DAYS after their end (api/discovery/
 * retention.ts), on real Postgres and Redis: an API that starts does not load them, a running one lets
 * them go at its reconcile, searches do not find them, and their own page still shows them. Rows are
 * written straight into Postgres, with ends in the past that the API would refuse to create. The
 * boundary itself, which moves with time, is checked on a read model of its own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { desc, eq } from 'drizzle-orm';
import { auctions } from '../db/schema.js';
import type { AuctionStatus } from '../domain/auction-status.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertAuction } from './helpers/fixtures.js';
import { call, signUp, type ErrorJson } from './helpers/http.js';
import { newEs256PrivateKeyPem } from './helpers/jwt.js';
import { page } from './helpers/listing.js';
import { readPage } from '../api/discovery/listing-query.js';
import { ListingReadModel } from '../api/discovery/read-model.js';
import { keptEndingFromMs, listedEndingAfterMs } from '../api/discovery/retention.js';

const DAY_MS = 24 * 3600 * 1000;
const LISTED_DAYS = 30;

let database: TestDatabase;
let env: Record<string, string>;
let running: TestApi;
let seller: { id: string; token: string };
const lots: Record<string, string> = {};

/** An auction as the workflow leaves it, ended `endedMsAgo` ago (negative: ends in the future). */
async function insertLot(name: string, status: AuctionStatus, endedMsAgo: number) {
  const endsAt = new Date(Date.now() - endedMsAgo);
  const startsAt = new Date(endsAt.getTime() - 7 * DAY_MS);
  const row = await insertAuction(database.db, seller.id, startsAt, endsAt);
  await database.db
    .update(auctions)
    .set({ status, title: `Retention ${name}` })
    .where(eq(auctions.id, row.id));
  lots[name] = row.id;
}

before(async () => {
  database = await createTestDatabase();
  env = {
    DATABASE_URL: database.url,
    // No worker: these auctions have no workflow, and the listing needs none.
    TEMPORAL_TASK_QUEUE: 'discovery-retention',
    JWT_PRIVATE_KEY: newEs256PrivateKeyPem(),
    DISCOVERY_ENDED_LISTED_DAYS: String(LISTED_DAYS),
    // Reconciles only when a test asks.
    DISCOVERY_RECONCILE_SECONDS: '3600',
  };
  running = await startTestApi(env);
  seller = await signUp(running.url, 'retention-seller');
  await insertLot('live', 'open', -DAY_MS);
  await insertLot('recently closed', 'closed', 10 * DAY_MS);
  await insertLot('long closed', 'closed', 40 * DAY_MS);
  await insertLot('long cancelled', 'cancelled', 40 * DAY_MS);
});
after(async () => {
  await running.close();
  await database.drop();
});

const ids = (...names: string[]) => names.map((name) => lots[name]!).sort();
const listedIds = async (api: TestApi, query: Record<string, string> = {}) =>
  (await page(api.url, { sellerId: seller.id, limit: 100, ...query })).items.map((item) => item.id).sort();

describe('an API that starts', () => {
  test('when auctions ended longer ago than the listing keeps them, then it neither loads, lists nor counts them in a search', async () => {
    // A cap of 2 matches: the two auctions no longer listed must not count against it either.
    const starting = await startTestApi({ ...env, DISCOVERY_SEARCH_MAX_MATCHES: '2' });
    try {
      assert.deepEqual(await listedIds(starting), ids('live', 'recently closed'));
      assert.deepEqual(await listedIds(starting, { status: 'closed' }), ids('recently closed'));
      assert.equal(starting.discovery.model.get(lots['long closed']!), undefined);
      assert.equal(starting.discovery.model.get(lots['long cancelled']!), undefined);
      assert.ok(starting.discovery.model.get(lots['recently closed']!));
      assert.deepEqual(await listedIds(starting, { q: 'retention' }), ids('live', 'recently closed'));
    } finally {
      await starting.close();
    }
  });
});

describe('a running API', () => {
  test('when its reconcile reads auctions ended long ago, then it lets them go', async () => {
    await running.discovery.reconcile();
    assert.deepEqual(await listedIds(running), ids('live', 'recently closed'));
    assert.equal(running.discovery.model.get(lots['long closed']!), undefined);
  });

  test('when a search matches auctions no longer listed, then it finds only the listed ones', async () => {
    assert.deepEqual(await listedIds(running, { q: 'retention' }), ids('live', 'recently closed'));
  });

  test('when an auction is no longer listed, then its own page still shows it', async () => {
    const answer = await call<{ id: string; status: string }>(`${running.url}/v1/auctions/${lots['long closed']}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.status, 'closed');
  });
});

describe("a seller's own auctions (GET /v1/users/me/auctions)", () => {
  const mine = (token: string | undefined, query = '') =>
    call<{ items: { id: string; sellerId: string }[]; nextCursor: string | null } & ErrorJson>(
      `${running.url}/v1/users/me/auctions${query}`,
      token === undefined ? {} : { token },
    );

  test('when a seller pages through them, then every one comes once, newest first, however long ago it ended', async () => {
    const expected = await database.db
      .select({ id: auctions.id })
      .from(auctions)
      .where(eq(auctions.sellerId, seller.id))
      .orderBy(desc(auctions.createdAt), desc(auctions.id));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const answer = await mine(seller.token, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      seen.push(...answer.body.items.map((item) => item.id));
      cursor = answer.body.nextCursor;
    } while (cursor !== null && seen.length < 10);
    assert.deepEqual(
      seen,
      expected.map((row) => row.id),
    );
    assert.equal(seen.length, 4);
  });

  test('when someone else, or nobody, asks, then they get their own (none) or 401', async () => {
    const other = await signUp(running.url, 'retention-other');
    const theirs = await mine(other.token);
    assert.equal(theirs.status, 200);
    assert.deepEqual(theirs.body, { items: [], nextCursor: null });
    assert.equal((await mine(undefined)).status, 401);
  });

  test('when the cursor is not one the API issued, then 400 INVALID_CURSOR', async () => {
    const forge = (c: string) => Buffer.from(JSON.stringify({ c, i: lots.live })).toString('base64url');
    // The last two are past a bigint's maximum (9223372036854775807): no Postgres range error, a 400.
    const forged = [forge('1 OR 1=1'), forge('9999999999999999999'), forge('99999999999999999999')];
    for (const cursor of ['garbage', ...forged, Buffer.from('{"c":"1"}').toString('base64url')]) {
      const answer = await mine(seller.token, `?cursor=${cursor}`);
      assert.equal(answer.status, 400, cursor);
      assert.equal(answer.body.error.code, 'INVALID_CURSOR');
    }
  });
});

describe('the boundary itself (the read model and a page, without the API)', () => {
  const model = new ListingReadModel();
  const nowMs = Date.now();
  const listedMs = LISTED_DAYS * DAY_MS;
  const cursorTtlMs = 15 * 60_000;
  function addEnded(id: string, status: AuctionStatus, endsAtMs: number) {
    const fixed = {
      id,
      sellerId: 'seller',
      category: null,
      startsAtMs: endsAtMs - DAY_MS,
      createdAtMs: endsAtMs - DAY_MS,
      title: id,
      description: '',
      currency: 'EUR',
      startingPrice: 100,
      buyNowPrice: null,
      paymentWindowSeconds: 3600,
      buyersPremiumBps: 0,
      autoSecondChance: false,
      kind: 'auction' as const,
      stock: 1,
    };
    const bid = { seq: 0, price: 100, bidCount: 0, leaderAlias: null, minimumNextBid: 100, reserveMet: true, endsAtMs };
    model.add(fixed, bid, status, null, 0);
  }
  const boundary = listedEndingAfterMs(nowMs, listedMs);
  addEnded('just-inside', 'closed', boundary + 1);
  addEnded('just-outside', 'closed', boundary);
  addEnded('kept-for-cursors', 'cancelled', boundary - cursorTtlMs);
  addEnded('let-go', 'closed', keptEndingFromMs(nowMs, listedMs, cursorTtlMs) - 1);
  addEnded('open-long-past', 'open', boundary - 10 * DAY_MS);
  const listed = (atMs: number) =>
    readPage(model, {
      sort: 'ending_soonest',
      limit: 100,
      asOf: model.version,
      atMs,
      filter: { endingAfterMs: listedEndingAfterMs(atMs, listedMs) },
    }).items.map((item) => item.id);

  test('when a page is read, then auctions ending after the boundary are listed, at or before it not', () => {
    assert.deepEqual(listed(nowMs), ['just-inside']);
  });

  test('when the first page’s time moves on, then so does the boundary: a next page carries that time in its cursor', () => {
    // A next page carries the first page's wall time in its cursor, whatever the time now.
    assert.deepEqual(listed(nowMs), ['just-inside']);
    assert.deepEqual(listed(nowMs + 2), []);
  });

  test('when ended auctions are let go, then only those no cursor can reach go, and never a live one', () => {
    assert.equal(model.evictEndedBefore(keptEndingFromMs(nowMs, listedMs, cursorTtlMs)), 1);
    assert.equal(model.get('let-go'), undefined);
    for (const id of ['just-inside', 'just-outside', 'kept-for-cursors', 'open-long-past'])
      assert.ok(model.get(id), id);
    assert.deepEqual(
      model
        .index('final', 'ending')
        .toArray()
        .map((item) => item.id),
      ['kept-for-cursors', 'just-outside', 'just-inside'],
    );
  });
});
