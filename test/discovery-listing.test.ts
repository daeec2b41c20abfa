/**
 * GET /v1/auctions over real HTTP, Postgres, Redis and Temporal: every filter, every sort, full-text
 * search, and hostile parameters and cursors (a 400 in the error shape, never a 500). The listing
 * comes from the read model: a page without `q` must not touch Postgres or Redis at all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REVOCATIONS_KEY } from '../api/auth/revocations.js';
import { BLOCKS_KEY } from '../api/moderation/account-blocks.js';
import type { AuctionCategory } from '../domain/categories.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type ErrorJson } from './helpers/http.js';
import { eventually, listing, page, traverse, type ListingQuery } from './helpers/listing.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let seller: { id: string; token: string };
let otherSeller: { id: string; token: string };
let bidders: { id: string; token: string }[];

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

/** The lots of this file: name → auction, as created. */
const lots: Record<string, AuctionJson> = {};

async function create(name: string, body: Record<string, unknown>, who = seller) {
  const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: who.token,
    body: { title: name, startingPrice: 1000, endsAt: inMinutes(60), ...body },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  lots[name] = answer.body;
}

async function bid(name: string, amount: number, who: { token: string }, buyNow = false) {
  const answer = await call(`${api.url}/v1/auctions/${lots[name]!.id}/bids`, {
    token: who.token,
    body: { amount, buyNow },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
}

const ids = (...names: string[]) => names.map((name) => lots[name]!.id);
const listed = async (query: ListingQuery) => (await page(api.url, { limit: 100, ...query })).items;
const listedIds = async (query: ListingQuery) => (await listed(query)).map((item) => item.id);
/** Only this file's lots, sorted, for set comparisons. */
const sorted = (values: string[]) => [...values].sort();

before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  // No reconcile during the file: the test that counts Postgres queries must count only the requests'.
  api = await startTestApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: worker.taskQueue,
    DISCOVERY_RECONCILE_SECONDS: '3600',
  });
  seller = await signUp(api.url, 'seller');
  otherSeller = await signUp(api.url, 'other-seller');
  bidders = [await signUp(api.url, 'bidder-1'), await signUp(api.url, 'bidder-2')];
  const lot = (category: AuctionCategory, startingPrice: number, endsInMinutes: number, description: string) => ({
    category,
    startingPrice,
    endsAt: inMinutes(endsInMinutes),
    description,
  });
  // One at a time, so "newest" has one answer.
  await create('Victorian oak writing desk', lot('antiques', 5000, 180, 'Solid oak, brass handles, restored in 2019.'));
  await create('Fender Stratocaster electric guitar', lot('music', 20_000, 60, 'Sunburst finish, maple neck.'));
  await create('Signed first edition of Dune', lot('books', 3000, 120, 'Frank Herbert, 1965, in a protective sleeve.'));
  await create('Oak bookshelf', lot('home', 8000, 240, 'Five shelves, light wood.'));
  await create(
    'Vintage Leica camera',
    lot('electronics', 12_000, 30, 'Rangefinder, original leather case.'),
    otherSeller,
  );
  await create('Concert poster', { ...lot('art', 1500, 300, 'Screen print.'), startsAt: inMinutes(60) });
  await create('Blue vase', lot('antiques', 2500, 360, 'Glazed stoneware.'));
  await create('Brass lamp', { ...lot('home', 4000, 90, 'Desk lamp.'), buyNowPrice: 9000 });
  // The guitar's price moves to 25,500 (the leader's proxy answers 25,000), the book's to 3,000.
  await bid('Fender Stratocaster electric guitar', 30_000, bidders[0]!);
  await bid('Fender Stratocaster electric guitar', 25_000, bidders[1]!);
  await bid('Signed first edition of Dune', 3000, bidders[0]!);
  await bid('Brass lamp', 9000, bidders[1]!, true);
  const cancel = await call(`${api.url}/v1/auctions/${lots['Blue vase']!.id}/cancel`, {
    token: seller.token,
    body: { reason: 'withdrawn' },
  });
  assert.equal(cancel.status, 200);
  await eventually('the listing shows the bids, the buy-now and the cancel', async () => {
    const byId = new Map((await listed({})).map((item) => [item.id, item]));
    return (
      byId.get(lots['Fender Stratocaster electric guitar']!.id)?.currentPrice === 25_500 &&
      byId.get(lots['Signed first edition of Dune']!.id)?.bidCount === 1 &&
      byId.get(lots['Brass lamp']!.id)?.status === 'closed' &&
      byId.get(lots['Blue vase']!.id)?.status === 'cancelled'
    );
  });
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
});

const OPEN = [
  'Victorian oak writing desk',
  'Fender Stratocaster electric guitar',
  'Signed first edition of Dune',
  'Oak bookshelf',
  'Vintage Leica camera',
];

describe('filters', () => {
  test('when listing by status, then each status lists exactly its auctions', async () => {
    assert.deepEqual(sorted(await listedIds({ status: 'open' })), sorted(ids(...OPEN)));
    assert.deepEqual(await listedIds({ status: 'scheduled' }), ids('Concert poster'));
    assert.deepEqual(await listedIds({ status: 'closed' }), ids('Brass lamp'));
    assert.deepEqual(await listedIds({ status: 'cancelled' }), ids('Blue vase'));
    assert.equal((await listedIds({})).length, Object.keys(lots).length);
  });

  test('when listing by seller or category, then only theirs', async () => {
    assert.deepEqual(await listedIds({ sellerId: otherSeller.id }), ids('Vintage Leica camera'));
    assert.deepEqual(
      sorted(await listedIds({ category: 'antiques' })),
      sorted(ids('Victorian oak writing desk', 'Blue vase')),
    );
    assert.deepEqual(await listedIds({ category: 'antiques', status: 'open' }), ids('Victorian oak writing desk'));
    assert.deepEqual(await listedIds({ sellerId: otherSeller.id, category: 'home' }), []);
  });

  test('when listing by price range, then the bounds are inclusive and apply to the current price', async () => {
    const range = await listedIds({ status: 'open', minPrice: 5000, maxPrice: 12_000 });
    assert.deepEqual(sorted(range), sorted(ids('Victorian oak writing desk', 'Oak bookshelf', 'Vintage Leica camera')));
    // The guitar started at 20,000; bids took it to 25,500.
    assert.deepEqual(await listedIds({ minPrice: 25_500 }), ids('Fender Stratocaster electric guitar'));
    assert.deepEqual(await listedIds({ minPrice: 20_000, maxPrice: 25_499 }), []);
  });

  test('when listing by end, then endingBefore and endingAfter are strict bounds', async () => {
    const soon = await listedIds({ status: 'open', endingBefore: inMinutes(90) });
    assert.deepEqual(sorted(soon), sorted(ids('Fender Stratocaster electric guitar', 'Vintage Leica camera')));
    const late = await listedIds({ status: 'open', endingAfter: inMinutes(150) });
    assert.deepEqual(sorted(late), sorted(ids('Victorian oak writing desk', 'Oak bookshelf')));
    const exact = lots['Oak bookshelf']!.endsAt;
    assert.equal((await listedIds({ endingBefore: exact })).includes(lots['Oak bookshelf']!.id), false);
    assert.equal((await listedIds({ endingAfter: exact })).includes(lots['Oak bookshelf']!.id), false);
  });
});

describe('sorts', () => {
  const byId = (a: AuctionJson, b: AuctionJson) => (a.id < b.id ? -1 : 1);
  const expectations: [string, (a: AuctionJson, b: AuctionJson) => number][] = [
    ['ending_soonest', (a, b) => Date.parse(a.endsAt) - Date.parse(b.endsAt) || byId(a, b)],
    ['newest', (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || byId(b, a)],
    ['price_asc', (a, b) => a.currentPrice - b.currentPrice || byId(a, b)],
    ['price_desc', (a, b) => b.currentPrice - a.currentPrice || byId(b, a)],
    ['most_bids', (a, b) => b.bidCount - a.bidCount || byId(b, a)],
  ];
  for (const [sort, compare] of expectations) {
    test(`when sorted by ${sort}, then every page follows in that order`, async () => {
      const all = await listed({ status: 'open' });
      const paged = await traverse(() => api.url, { status: 'open', sort, limit: 2 });
      assert.deepEqual(
        paged,
        [...all].sort(compare).map((item) => item.id),
      );
    });
  }

  test('when sorted by price or bids, then the known order comes out', async () => {
    const names = ['Signed first edition of Dune', 'Victorian oak writing desk', 'Oak bookshelf'];
    assert.deepEqual(
      await listedIds({ status: 'open', sort: 'price_asc' }),
      ids(...names, 'Vintage Leica camera', 'Fender Stratocaster electric guitar'),
    );
    assert.deepEqual(
      (await listedIds({ status: 'open', sort: 'most_bids' })).slice(0, 2),
      ids('Fender Stratocaster electric guitar', 'Signed first edition of Dune'),
    );
    assert.deepEqual(
      await listedIds({ status: 'open', sort: 'ending_soonest' }),
      ids('Vintage Leica camera', 'Fender Stratocaster electric guitar', names[0]!, names[1]!, names[2]!),
    );
    assert.equal((await listedIds({ sort: 'newest' }))[0], lots['Brass lamp']!.id);
  });
});

describe('full-text search', () => {
  const cases: [string, ListingQuery, string[]][] = [
    ['a word in the title or the description', { q: 'oak' }, ['Victorian oak writing desk', 'Oak bookshelf']],
    ['a word and an exclusion', { q: 'oak -bookshelf' }, ['Victorian oak writing desk']],
    ['a quoted phrase', { q: '"first edition"' }, ['Signed first edition of Dune']],
    ['the phrase reversed', { q: '"edition first"' }, []],
    ['another form of a word (stemming)', { q: 'guitars' }, ['Fender Stratocaster electric guitar']],
    ['a word only in a description', { q: 'restoring' }, ['Victorian oak writing desk']],
    ['either of two words', { q: 'leica or dune' }, ['Vintage Leica camera', 'Signed first edition of Dune']],
    ['a search and a category', { q: 'oak', category: 'home' }, ['Oak bookshelf']],
    ['a search and a status', { q: 'lamp', status: 'closed' }, ['Brass lamp']],
    ['only a stop word', { q: 'the' }, []],
  ];
  for (const [what, query, names] of cases) {
    test(`when searching for ${what}, then exactly the matches`, async () => {
      assert.deepEqual(sorted(await listedIds(query)), sorted(ids(...names)));
    });
  }

  test('when a search has tsquery operators or SQL in it, then it is only text: 200', async () => {
    for (const q of ["!!:*&|()' <->", "' OR 1=1 --", 'oak:* & !desk', '\\', '"unclosed']) {
      const answer = await listing(api.url, { q });
      assert.equal(answer.status, 200, `${q}: ${JSON.stringify(answer.body)}`);
    }
  });

  test('when a search is sorted and paged, then the matches follow the order', async () => {
    assert.deepEqual(
      await traverse(() => api.url, { q: 'oak', sort: 'price_desc', limit: 1 }),
      ids('Oak bookshelf', 'Victorian oak writing desk'),
    );
  });
});

/** Keys the API's background polls read on their own clock (api/auth/revocations.ts, api/moderation/account-blocks.ts). */
const POLLED_KEYS: unknown[] = [REVOCATIONS_KEY, BLOCKS_KEY];

describe('the read model serves the hot listing', () => {
  test('when listings without a search are read, then neither Postgres nor Redis is asked anything', async () => {
    const counts = { postgres: 0, redis: 0 };
    const pool = api.deps.database.pool;
    const redis = api.deps.redis;
    // Counting wrappers around the real clients (every call still goes through).
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    const sendCommand = redis.sendCommand.bind(redis) as (...args: unknown[]) => unknown;
    pool.query = ((...args: unknown[]) => {
      counts.postgres += 1;
      return query(...args);
    }) as typeof pool.query;
    redis.sendCommand = ((...args: unknown[]) => {
      // The revocation and account-block polls read their sets every second whatever the requests do:
      // not theirs to count.
      const command = args[0] as { args?: unknown[] } | undefined;
      if (!POLLED_KEYS.includes(command?.args?.[0])) counts.redis += 1;
      return sendCommand(...args);
    }) as typeof redis.sendCommand;
    try {
      for (const sort of ['ending_soonest', 'newest', 'price_asc', 'price_desc', 'most_bids']) {
        await traverse(() => api.url, { status: 'open', sort, limit: 2 });
        await page(api.url, { category: 'antiques', minPrice: 100, sort });
      }
      assert.deepEqual(counts, { postgres: 0, redis: 0 });
      await page(api.url, { q: 'oak', kind: 'auction' });
      assert.equal(counts.postgres, 1, 'a search of one kind asks Postgres once, for the matching ids');
      await page(api.url, { q: 'oak' });
      assert.equal(counts.postgres, 3, "a search of both kinds asks twice: the auctions' ids and the sales'");
    } finally {
      pool.query = query as typeof pool.query;
      redis.sendCommand = sendCommand as typeof redis.sendCommand;
    }
  });
});

describe('hostile input', () => {
  const badQueries: [string, string][] = [
    ['an unknown status', 'status=sold'],
    ['an unknown sort', 'sort=random'],
    ['an unknown category', 'category=cars'],
    ['a negative price', 'minPrice=-1'],
    ['a fractional price', 'maxPrice=10.5'],
    ['a price that is not a number', 'minPrice=abc'],
    ['a price beyond any amount', 'maxPrice=1e30'],
    ['a limit of 0', 'limit=0'],
    ['a limit of 101', 'limit=101'],
    ['an end that is not a date', 'endingBefore=tomorrow'],
    ['a seller that is not a uuid', 'sellerId=1%20OR%201%3D1'],
    ['a search with U+0000', 'q=oak%00'],
    ['a blank search', 'q=%20%20'],
    ['a search of 201 characters', `q=${'a'.repeat(201)}`],
    ['a status given twice', 'status=open&status=closed'],
    ['a bracketed parameter', 'q[]=oak'],
    ['a misspelt parameter', 'minprice=100'],
    ['a cursor of 201 characters', `cursor=${'a'.repeat(201)}`],
  ];
  for (const [what, query] of badQueries) {
    test(`when the query has ${what}, then 400 VALIDATION in the error shape`, async () => {
      const answer = await call<ErrorJson>(`${api.url}/v1/auctions?${query}`);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, 'VALIDATION');
      assert.equal(typeof answer.body.error.message, 'string');
    });
  }

  const wire = (fields: Record<string, unknown>) => Buffer.from(JSON.stringify(fields)).toString('base64url');
  async function issued(query: ListingQuery) {
    const first = await page(api.url, { ...query, limit: 1 });
    assert.ok(first.nextCursor);
    const fields = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString()) as Record<string, unknown>;
    return { cursor: first.nextCursor, fields };
  }

  test('when a cursor is garbage, forged, or from another query, then 400 INVALID_CURSOR', async () => {
    const { cursor, fields } = await issued({ status: 'open' });
    const forged: [string, string][] = [
      ['not base64 JSON', 'not-a-cursor!!'],
      ['JSON of another shape', wire({ x: 1 })],
      ['an id that is not a uuid', wire({ ...fields, i: 'x' })],
      ['a key that is a string', wire({ ...fields, k: '5000' })],
      ['an unsafe version', wire({ ...fields, t: 1e300 })],
      ['a first page from the future', wire({ ...fields, a: Date.now() + 3_600_000 })],
      ['a snapshot from the future', wire({ ...fields, t: (Date.now() + 3_600_000) * 1000 })],
      ['an extra field', wire({ ...fields, extra: true })],
      ['a prototype key', wire({ ...fields, ['__proto__']: { v: 2 } })],
      ['another query digest', wire({ ...fields, h: 'AAAAAAAAAAAAAAAA' })],
    ];
    for (const [what, bad] of forged) {
      const answer = await listing(api.url, { status: 'open', cursor: bad });
      assert.equal(answer.status, 400, `${what}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error.code, 'INVALID_CURSOR', what);
    }
    for (const other of [{ status: 'closed' }, { status: 'open', sort: 'price_asc' }, { status: 'open', q: 'oak' }]) {
      const answer = await listing(api.url, { ...other, cursor });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.code, 'INVALID_CURSOR', JSON.stringify(other));
    }
    // The same query with another page size is the same traversal.
    assert.equal((await listing(api.url, { status: 'open', limit: 3, cursor })).status, 200);
  });

  test('when a cursor outlives its lifetime, then 400 CURSOR_EXPIRED', async () => {
    const shortLived = await startTestApi({
      DATABASE_URL: database.url,
      TEMPORAL_TASK_QUEUE: worker.taskQueue,
      DISCOVERY_CURSOR_TTL_SECONDS: '2',
    });
    try {
      const first = await page(shortLived.url, { limit: 1 });
      assert.equal((await listing(shortLived.url, { limit: 1, cursor: first.nextCursor! })).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 2200));
      const late = await listing(shortLived.url, { limit: 1, cursor: first.nextCursor! });
      assert.equal(late.status, 400);
      assert.equal(late.body.error.code, 'CURSOR_EXPIRED');
    } finally {
      await shortLived.close();
    }
  });

  test('when a search matches more auctions than the cap, then 400 SEARCH_TOO_BROAD', async () => {
    const capped = await startTestApi({
      DATABASE_URL: database.url,
      TEMPORAL_TASK_QUEUE: worker.taskQueue,
      DISCOVERY_SEARCH_MAX_MATCHES: '1',
    });
    try {
      const broad = await listing(capped.url, { q: 'oak' });
      assert.equal(broad.status, 400);
      assert.equal(broad.body.error.code, 'SEARCH_TOO_BROAD');
      assert.deepEqual(await listing(capped.url, { q: 'oak', category: 'home' }).then((a) => a.status), 200);
    } finally {
      await capped.close();
    }
  });
});
