/**
 * Settlement terms on auctions, over real HTTP with a real worker: the seller's or the configured
 * defaults, refused out of bounds, shown on every auction the API serves; the premium in every bid's
 * answer; the order a sale made, in the result.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { auctions, orders } from '../db/schema.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type BidJson, type ErrorJson } from './helpers/http.js';
import { eventually } from './helpers/listing.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

/** Not the shipped defaults, so an answer that shows them came from the configuration. */
const CONFIG = {
  SETTLEMENT_PAYMENT_WINDOW_SECONDS: '7200',
  SETTLEMENT_MIN_WINDOW_SECONDS: '600',
  BUYERS_PREMIUM_BPS: '1500',
};
const MONTH_SECONDS = 30 * 24 * 3600;

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let seller: { id: string; token: string };
let bidder: { id: string; token: string };
before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: worker.taskQueue, ...CONFIG });
  seller = await signUp(api.url, 'seller');
  bidder = await signUp(api.url, 'bidder');
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
});

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

const create = (body: Record<string, unknown> = {}) =>
  call<AuctionJson & ErrorJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Lot', startingPrice: 1000, endsAt: inSeconds(60), ...body },
  });

async function createAuction(body: Record<string, unknown> = {}) {
  const answer = await create(body);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

type BidAnswer = BidJson & { buyersPremiumBps: number } & ErrorJson & { error: { buyersPremiumBps?: number } };
const bid = (auctionId: string, body: unknown) =>
  call<BidAnswer>(`${api.url}/v1/auctions/${auctionId}/bids`, { token: bidder.token, body });

const termsIn = (auction: AuctionJson) => ({
  paymentWindowSeconds: auction.paymentWindowSeconds,
  buyersPremiumBps: auction.buyersPremiumBps,
  autoSecondChance: auction.autoSecondChance,
});

/** The auction as every route that serves it shows it: its page, the listing, the seller's own list. */
async function everyViewOf(id: string): Promise<AuctionJson[]> {
  const detail = await call<AuctionJson>(`${api.url}/v1/auctions/${id}`);
  const listed = await call<{ items: AuctionJson[] }>(`${api.url}/v1/auctions?sellerId=${seller.id}&limit=100`);
  const mine = await call<{ items: AuctionJson[] }>(`${api.url}/v1/users/me/auctions?limit=100`, {
    token: seller.token,
  });
  const views = [detail.body, listed.body.items.find((a) => a.id === id), mine.body.items.find((a) => a.id === id)];
  assert.ok(views.every(Boolean), 'listed everywhere');
  return views as AuctionJson[];
}

describe('terms at creation', () => {
  test('when a seller sets no terms, then the auction has the configured defaults, shown everywhere', async () => {
    const auction = await createAuction();
    const defaults = { paymentWindowSeconds: 7200, buyersPremiumBps: 1500, autoSecondChance: false };
    assert.deepEqual(termsIn(auction), defaults);
    for (const view of await everyViewOf(auction.id)) assert.deepEqual(termsIn(view), defaults);
    const [row] = await database.db.select().from(auctions).where(eq(auctions.id, auction.id));
    assert.deepEqual(termsIn(row as unknown as AuctionJson), defaults);
  });

  test('when a seller sets terms, then they are stored and shown everywhere, the bounds included', async () => {
    for (const terms of [
      { paymentWindowSeconds: 600, buyersPremiumBps: 0, autoSecondChance: true },
      { paymentWindowSeconds: MONTH_SECONDS, buyersPremiumBps: 5000, autoSecondChance: false },
    ]) {
      const auction = await createAuction(terms);
      assert.deepEqual(termsIn(auction), terms);
      for (const view of await everyViewOf(auction.id)) assert.deepEqual(termsIn(view), terms);
      const [row] = await database.db.select().from(auctions).where(eq(auctions.id, auction.id));
      assert.deepEqual(termsIn(row as unknown as AuctionJson), terms);
    }
  });

  const badTerms: [string, Record<string, unknown>][] = [
    ['a payment window below SETTLEMENT_MIN_WINDOW_SECONDS', { paymentWindowSeconds: 599 }],
    ['a payment window over 30 days', { paymentWindowSeconds: MONTH_SECONDS + 1 }],
    ['a fractional payment window', { paymentWindowSeconds: 3600.5 }],
    ['a payment window as a string', { paymentWindowSeconds: '3600' }],
    ['a negative premium', { buyersPremiumBps: -1 }],
    ['a premium over 5000 bp', { buyersPremiumBps: 5001 }],
    ['a fractional premium', { buyersPremiumBps: 12.5 }],
    ['a null premium', { buyersPremiumBps: null }],
    ['autoSecondChance as a string', { autoSecondChance: 'yes' }],
  ];
  for (const [what, body] of badTerms) {
    test(`when an auction has ${what}, then 400 VALIDATION names the field and no auction is made`, async () => {
      const count = async () =>
        (await database.db.select({ id: auctions.id }).from(auctions).where(eq(auctions.sellerId, seller.id))).length;
      const before = await count();
      const answer = await create(body);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, 'VALIDATION');
      const issues = (answer.body.error as unknown as { issues: { path: string }[] }).issues;
      assert.deepEqual(
        issues.map((issue) => issue.path),
        [Object.keys(body)[0]],
      );
      assert.equal(await count(), before);
    });
  }
});

describe('bids', () => {
  test("when a bid is answered, accepted or refused, then the answer carries the auction's premium", async () => {
    const auction = await createAuction({ buyersPremiumBps: 1250 });
    const accepted = await bid(auction.id, { amount: 2000 });
    assert.equal(accepted.status, 201);
    assert.equal(accepted.body.buyersPremiumBps, 1250);
    const refused = await bid(auction.id, { amount: 10 });
    assert.equal(refused.body.error.code, 'BID_TOO_LOW');
    assert.equal(refused.body.error.buyersPremiumBps, 1250);
    const byDefault = await createAuction();
    assert.equal((await bid(byDefault.id, { amount: 1000 })).body.buyersPremiumBps, 1500);
  });
});

describe('the result', () => {
  test("when a sale closes, then the result names the winner's order, on every view", async () => {
    const auction = await createAuction({ buyNowPrice: 9000, buyersPremiumBps: 1000 });
    assert.equal(auction.result, null);
    assert.equal((await bid(auction.id, { amount: 9000, buyNow: true })).status, 201);
    await eventually(
      'the result is recorded and listed',
      async () => (await everyViewOf(auction.id)).every((view) => view.result !== null),
      10_000,
    );
    const [order] = await database.db.select().from(orders).where(eq(orders.auctionId, auction.id));
    assert.ok(order);
    assert.deepEqual([order.hammerPrice, order.buyersPremium, order.total], [9000, 900, 9900]);
    // The seller's own views name the winner; the public ones only by alias.
    const [detail, listed, mine] = await everyViewOf(auction.id);
    const sold = { outcome: 'sold', winnerAlias: 'Bidder 1', finalPrice: 9000, orderId: order.id };
    assert.deepEqual(detail!.result, { ...sold, winnerId: null });
    assert.deepEqual(listed!.result, { ...sold, winnerId: null });
    assert.deepEqual(mine!.result, { ...sold, winnerId: bidder.id });
  });

  test('when nothing sold, then the result has no order', async () => {
    const auction = await createAuction({ endsAt: inSeconds(1) });
    await eventually(
      'the result is recorded and listed',
      async () => (await everyViewOf(auction.id)).every((view) => view.result !== null),
      10_000,
    );
    for (const view of await everyViewOf(auction.id)) {
      assert.deepEqual(view.result, {
        outcome: 'unsold',
        winnerId: null,
        winnerAlias: null,
        finalPrice: null,
        orderId: null,
      });
    }
  });
});
