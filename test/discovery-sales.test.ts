/**
 * Flash sales in GET /v1/auctions over real HTTP, Postgres and Redis: a sale is listed as an item of
 * kind 'sale', the `kind` filter, a claim's count reaching the listing (through the coalesced notes),
 * sold out and cancelled shown, units an expired hold gives back, and a fresh read model loading sales from Postgres. No worker: the
 * claims open a sale by Redis's clock, and the API's own notes are what these tests watch.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { after, before, describe, test } from 'node:test';
import type { ListedSale, ListingPage } from '../api/auctions/responses.js';
import { NotificationPipeline } from '../activities/notifications/pipeline.js';
import { createSaleActivities } from '../activities/sales/index.js';
import { closeRedis, createRedis } from '../config/redis.js';
import { sales } from '../db/sales-schema.js';
import { SaleStore } from '../lua/sale-store.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { testConfig } from './helpers/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type ErrorJson } from './helpers/http.js';
import { createSale, type SaleJson } from './helpers/flash-sales.js';
import { eventually, listing, listingUrl } from './helpers/listing.js';

let database: TestDatabase;
let api: TestApi;
let env: Record<string, string>;
let seller: { id: string; token: string };
let buyers: { id: string; token: string }[];
let auctionId: string;

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

type Item = ListingPage['items'][number];

async function items(query: Record<string, string> = {}, baseUrl = api.url): Promise<Item[]> {
  const answer = await call<ListingPage>(listingUrl(baseUrl, { limit: 100, ...query }));
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.items;
}

async function listedSale(id: string, baseUrl = api.url): Promise<ListedSale | undefined> {
  const item = (await items({ kind: 'sale' }, baseUrl)).find((candidate) => candidate.id === id);
  return item?.kind === 'sale' ? item : undefined;
}

const claim = (saleId: string, buyer: { token: string }, quantity = 1) =>
  call(`${api.url}/v1/sales/${saleId}/claims`, {
    token: buyer.token,
    body: { quantity },
    headers: { 'Idempotency-Key': randomUUID() },
  });

before(async () => {
  database = await createTestDatabase();
  // A task queue no worker polls: workflows are started, and nothing runs them.
  // Holds of a second, for the expiry below.
  env = {
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: `listing-sales-${randomUUID()}`,
    SALES_MIN_HOLD_SECONDS: '1',
  };
  api = await startTestApi(env);
  seller = await signUp(api.url, 'seller');
  buyers = [await signUp(api.url, 'buyer-1'), await signUp(api.url, 'buyer-2'), await signUp(api.url, 'buyer-3')];
  const auction = await call<{ id: string }>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Oak desk', startingPrice: 1000, endsAt: inMinutes(60) },
  });
  assert.equal(auction.status, 201, JSON.stringify(auction.body));
  auctionId = auction.body.id;
});
after(async () => {
  await api.close();
  await database.drop();
});

describe('sales in the listing', () => {
  let sale: SaleJson;

  before(async () => {
    sale = await createSale(api.url, seller.token, {
      title: 'Limited sneakers',
      category: 'fashion',
      price: 12_000,
      stock: 5,
      perUserLimit: 2,
      endsAt: inMinutes(30),
    });
  });

  test('when a sale is created, then its seller next listing shows it, of kind sale, with what a buyer needs', async () => {
    const listed = await listedSale(sale.id);
    assert.deepEqual(listed, {
      kind: 'sale',
      id: sale.id,
      sellerId: seller.id,
      title: 'Limited sneakers',
      description: '',
      currency: 'USD',
      category: 'fashion',
      price: 12_000,
      stock: 5,
      available: 5,
      status: 'open',
      startsAt: sale.startsAt,
      endsAt: sale.endsAt,
      createdAt: listed?.createdAt,
    });
  });

  test('when the listing is asked for one kind, then it lists only that kind; without kind, both', async () => {
    const sales = await items({ kind: 'sale' });
    const auctions = await items({ kind: 'auction' });
    assert.ok(sales.length > 0 && sales.every((item) => item.kind === 'sale'));
    assert.ok(auctions.some((item) => item.id === auctionId));
    assert.ok(auctions.every((item) => item.kind === 'auction'));
    const both = (await items()).map((item) => item.id);
    assert.ok(both.includes(auctionId) && both.includes(sale.id));
  });

  test('when a sale is filtered by category, price and searched, then it is found as an auction would be', async () => {
    assert.ok((await items({ category: 'fashion' })).some((item) => item.id === sale.id));
    assert.ok(!(await items({ category: 'books' })).some((item) => item.id === sale.id));
    assert.ok((await items({ minPrice: '12000', maxPrice: '12000' })).some((item) => item.id === sale.id));
    assert.ok((await items({ q: 'sneakers' })).some((item) => item.id === sale.id));
    assert.ok(!(await items({ q: 'sneakers', kind: 'auction' })).some((item) => item.id === sale.id));
  });

  test('when a buyer claims, then the listing shows fewer units available, soon', async () => {
    const answer = await claim(sale.id, buyers[0]!, 2);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    await eventually('the claim in the listing', async () => (await listedSale(sale.id))?.available === 3);
  });
});

describe('a sale sold out, cancelled, and after a restart', () => {
  test('when the last unit is claimed, then the listing shows the sale sold out', async () => {
    const sale = await createSale(api.url, seller.token, { title: 'One of a kind', stock: 1 });
    assert.equal((await claim(sale.id, buyers[1]!)).status, 201);
    await eventually('sold out in the listing', async () => (await listedSale(sale.id))?.status === 'sold_out');
  });

  test('when a hold expires, then the listing shows its unit available again, told by the expiry run, not a reconcile', async () => {
    const sale = await createSale(api.url, seller.token, { title: 'Last pair', stock: 1, holdSeconds: 1 });
    assert.equal((await claim(sale.id, buyers[2]!)).status, 201);
    await eventually('sold out in the listing', async () => (await listedSale(sale.id))?.available === 0);
    // What the sale workflow runs at the hold's expiry, here without a worker.
    const redis = createRedis(testConfig(), 'worker');
    try {
      const saleStore = new SaleStore(redis);
      const activities = createSaleActivities({
        db: database.db,
        redis,
        saleStore,
        pipeline: new NotificationPipeline(database.db, redis),
      });
      const { persistedSeq } = await activities.persistSale(sale.id, 0);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const expired = await activities.settleDueHolds(sale.id, persistedSeq);
      assert.deepEqual(expired.counts, { available: 1, held: 0, sold: 0 });
    } finally {
      await closeRedis(redis);
    }
    // Well inside DISCOVERY_RECONCILE_SECONDS (30 s): only the note can have told it.
    await eventually('the unit back in the listing', async () => (await listedSale(sale.id))?.available === 1, 3000);
  });

  test('when the seller cancels a sale, then the listing shows it cancelled', async () => {
    const sale = await createSale(api.url, seller.token, { title: 'Cancelled drop', stock: 3 });
    const answer = await call(`${api.url}/v1/sales/${sale.id}/cancel`, { method: 'POST', token: seller.token });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    await eventually('cancelled in the listing', async () => (await listedSale(sale.id))?.status === 'cancelled');
    assert.ok((await items({ status: 'cancelled', kind: 'sale' })).some((item) => item.id === sale.id));
  });

  test('when a sale has no end, then ending soonest lists it after the sales that end', async () => {
    const endless = await createSale(api.url, seller.token, { title: 'Endless drop', stock: 3 });
    const ending = await createSale(api.url, seller.token, { title: 'Ending drop', stock: 3, endsAt: inMinutes(10) });
    const order = (await items({ kind: 'sale', sort: 'ending_soonest' })).map((item) => item.id);
    assert.ok(order.indexOf(ending.id) < order.indexOf(endless.id), JSON.stringify(order));
  });

  test('when another API starts (a fresh read model), then it lists the sales from Postgres', async () => {
    const fresh = await startTestApi(env);
    try {
      const sales = await items({ kind: 'sale' }, fresh.url);
      const before = await items({ kind: 'sale' });
      assert.deepEqual(sales.map((item) => item.id).sort(), before.map((item) => item.id).sort());
      assert.ok(sales.every((item) => item.kind === 'sale'));
    } finally {
      await fresh.close();
    }
  });
});

describe('sales past the retention', () => {
  test('when a sale sold out entirely ended long ago (its row still open), then a fresh API does not load it; one ended lately it does', async () => {
    const old = await createSale(api.url, seller.token, {
      title: 'Sold out long ago',
      stock: 2,
      endsAt: inMinutes(30),
    });
    const lately = await createSale(api.url, seller.token, {
      title: 'Sold out lately',
      stock: 2,
      endsAt: inMinutes(30),
    });
    const day = 86_400_000;
    // As a finished sale leaves its row: every unit sold, the phase still open (nothing closes it).
    const soldOutEndingAt = (id: string, endsAtMs: number) =>
      database.db
        .update(sales)
        .set({
          available: 0,
          sold: 2,
          startsAt: new Date(endsAtMs - day),
          endsAt: new Date(endsAtMs),
          updatedAt: new Date(endsAtMs - day),
        })
        .where(eq(sales.id, id));
    await soldOutEndingAt(old.id, Date.now() - 40 * day);
    await soldOutEndingAt(lately.id, Date.now() - day);
    const fresh = await startTestApi(env);
    try {
      const listed = (await items({ kind: 'sale' }, fresh.url)).map((item) => item.id);
      assert.ok(!listed.includes(old.id), 'the sale that ended 40 days ago is past the 30 days kept');
      assert.ok(listed.includes(lately.id));
    } finally {
      await fresh.close();
    }
  });
});

describe('the kind parameter', () => {
  test('when kind is not auction or sale, then the answer is a 400 VALIDATION', async () => {
    const answer = await listing(api.url, { kind: 'bogus' });
    assert.equal(answer.status, 400);
    assert.equal((answer.body as ErrorJson).error.code, 'VALIDATION');
  });
});
