/**
 * Settlement end to end on the real stack (API, worker, Temporal, Postgres, Redis), with windows of
 * seconds: a sale makes one order; paid, it records the seller's payout; unpaid, it expires with a
 * strike and the lot goes to the runner-up at their own maximum, by the seller's hand or by itself.
 * Invariant: at most one live order or offer per auction, whatever arrives at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { orders, payouts, unpaidStrikes } from '../db/settlement-schema.js';
import type { SettlementState } from '../domain/settlement/workflow.js';
import { markOrderPaidSignal } from '../workflows/settlement/definitions.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type ErrorJson } from './helpers/http.js';
import { waitForNotifications } from './helpers/notifications.js';
import {
  phaseOf as phaseIn,
  settlementOf as settlementIn,
  soldAuction,
  type OfferJson,
  type OrderJson,
  type SaleTerms,
  type User,
  until,
} from './helpers/settlement.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let seller: User;
let ann: User;
let ben: User;
let cat: User;
before(async () => {
  database = await createTestDatabase();
  const settlement = { SETTLEMENT_MIN_WINDOW_SECONDS: '1', SECOND_CHANCE_OFFER_WINDOW_SECONDS: '2' };
  worker = await startTestWorker(database.db, settlement);
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: worker.taskQueue, ...settlement });
  seller = await signUp(api.url, 'seller');
  ann = await signUp(api.url, 'ann');
  ben = await signUp(api.url, 'ben');
  cat = await signUp(api.url, 'cat');
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
});

const ctx = () => ({ apiUrl: api.url, database, seller });
/** ann's maximum 5,000, ben's 3,000, cat's 2,000: ann wins at 3,000 + an increment. */
const sale = (terms: SaleTerms) =>
  soldAuction(
    ctx(),
    [
      [cat, 2000],
      [ben, 3000],
      [ann, 5000],
    ],
    terms,
  );
const settlementOf = (auctionId: string) => settlementIn(worker.client, auctionId);
const phaseOf = (auctionId: string) => phaseIn(worker.client, auctionId);

describe('a sale', () => {
  test('makes one order for the winner: hammer, premium, total, payBy; the buyer and seller see it, nobody else', async () => {
    const { auctionId, orderId, finalPrice } = await sale({
      paymentWindowSeconds: 3600,
      buyersPremiumBps: 1250,
    });
    const asBuyer = await call<OrderJson>(`${api.url}/v1/orders/${orderId}`, { token: ann.token });
    assert.equal(asBuyer.status, 200);
    const premium = Math.floor((finalPrice * 1250 + 5000) / 10_000);
    assert.deepEqual(
      {
        kind: asBuyer.body.kind,
        buyerId: asBuyer.body.buyerId,
        sellerId: asBuyer.body.sellerId,
        hammerPrice: asBuyer.body.hammerPrice,
        buyersPremium: asBuyer.body.buyersPremium,
        total: asBuyer.body.total,
        status: asBuyer.body.status,
      },
      {
        kind: 'auction',
        buyerId: ann.id,
        sellerId: seller.id,
        hammerPrice: finalPrice,
        buyersPremium: premium,
        total: finalPrice + premium,
        status: 'awaiting_payment',
      },
    );
    const payBy = Date.parse(asBuyer.body.payBy);
    assert.ok(Math.abs(payBy - (Date.now() + 3600_000)) < 60_000, asBuyer.body.payBy);
    assert.equal((await call(`${api.url}/v1/orders/${orderId}`, { token: seller.token })).status, 200);
    assert.equal((await call(`${api.url}/v1/orders/${orderId}`, { token: ben.token })).status, 404);
    assert.equal((await call(`${api.url}/v1/orders/not-a-uuid`, { token: ann.token })).status, 404);
    assert.equal((await call(`${api.url}/v1/orders/${orderId}`)).status, 401);
    const rows = await database.db.select().from(orders).where(eq(orders.auctionId, auctionId));
    assert.equal(rows.length, 1, 'exactly one order per sale');

    const due = await waitForNotifications(api.url, ann.token, { type: 'payment_due', auctionId });
    assert.equal(due[0]!.data.orderId, orderId);
    assert.equal(due[0]!.data.total, finalPrice + premium);

    const mine = await call<{ items: OrderJson[] }>(`${api.url}/v1/users/me/orders`, { token: ann.token });
    assert.ok(mine.body.items.some((o) => o.id === orderId));
    const sold = await call<{ items: OrderJson[] }>(
      `${api.url}/v1/users/me/orders?role=seller&status=awaiting_payment`,
      {
        token: seller.token,
      },
    );
    assert.ok(sold.body.items.some((o) => o.id === orderId));
    const bad = await call(`${api.url}/v1/users/me/orders?role=bidder`, { token: ann.token });
    assert.equal(bad.status, 400);
  });

  test('paid (by an operator, from the Temporal UI): the order is paid, the seller’s payout recorded, both told', async () => {
    const { auctionId, orderId, finalPrice } = await sale({ paymentWindowSeconds: 3600, buyersPremiumBps: 0 });
    // The row says closed a moment before the close starts the settlement.
    await until('the settlement', async () => ((await phaseOf(auctionId)) ? true : undefined));
    await settlementOf(auctionId).signal(markOrderPaidSignal, { reason: 'paid by bank transfer' });
    const paid = await until('the order paid', async () => {
      const got = await call<OrderJson>(`${api.url}/v1/orders/${orderId}`, { token: ann.token });
      return got.body.status === 'paid' ? got.body : undefined;
    });
    assert.equal(paid.total, finalPrice);
    const payoutsPage = await call<{ items: { orderId: string; amount: number; sellerFee: number }[] }>(
      `${api.url}/v1/users/me/payouts`,
      { token: seller.token },
    );
    const payout = payoutsPage.body.items.find((p) => p.orderId === orderId);
    assert.ok(payout, 'the payout is listed');
    assert.equal(payout.sellerFee, Math.floor((finalPrice * 1000 + 5000) / 10_000)); // SELLER_FEE_BPS default 10 %
    assert.equal(payout.amount, finalPrice - payout.sellerFee);
    await waitForNotifications(api.url, seller.token, { type: 'order_paid', auctionId });
    await waitForNotifications(api.url, ann.token, { type: 'order_paid', auctionId });
    assert.equal(
      await settlementOf(auctionId)
        .result()
        .then((s: SettlementState) => s.phase),
      'paid',
    );
    const rows = await database.db.select().from(payouts).where(eq(payouts.orderId, orderId));
    assert.equal(rows.length, 1);
  });
});

describe('unpaid', () => {
  test('expires at payBy with a strike, then the seller offers the lot to the runner-up at their maximum', async () => {
    const { auctionId, orderId } = await sale({ paymentWindowSeconds: 2, buyersPremiumBps: 500 });
    await until('the expiry', async () => ((await phaseOf(auctionId)) === 'awaiting_seller' ? true : undefined));
    const expired = await call<OrderJson>(`${api.url}/v1/orders/${orderId}`, { token: ann.token });
    assert.equal(expired.body.status, 'expired');
    const strikes = await database.db.select().from(unpaidStrikes).where(eq(unpaidStrikes.orderId, orderId));
    assert.deepEqual(
      strikes.map((s) => s.userId),
      [ann.id],
    );
    await waitForNotifications(api.url, ann.token, { type: 'order_unpaid', auctionId });
    await waitForNotifications(api.url, seller.token, { type: 'order_unpaid', auctionId });
    await waitForNotifications(api.url, ann.token, { type: 'payment_reminder', auctionId });

    // Only the seller may offer; twice at once makes one offer.
    const notSeller = await call<ErrorJson>(`${api.url}/v1/auctions/${auctionId}/second-chance`, {
      token: ben.token,
      body: {},
    });
    assert.equal(notSeller.status, 403);
    assert.equal(notSeller.body.error.code, 'NOT_SELLER');
    const [first, second] = await Promise.all(
      [0, 1].map(() =>
        call<OfferJson>(`${api.url}/v1/auctions/${auctionId}/second-chance`, {
          token: seller.token,
          body: { offerWindowSeconds: 3600 },
        }),
      ),
    );
    const statuses = [first!.status, second!.status].sort();
    assert.deepEqual(statuses, [201, 409], JSON.stringify([first!.body, second!.body]));
    const offer = (first!.status === 201 ? first! : second!).body;
    assert.equal(offer.bidderId, ben.id);
    assert.equal(offer.amount, 3000, 'the runner-up’s own maximum');
    await waitForNotifications(api.url, ben.token, { type: 'second_chance_offer', auctionId });

    // Not cat's to answer; ben accepts: an order with its own window.
    assert.equal(
      (await call(`${api.url}/v1/offers/${offer.id}/accept`, { method: 'POST', token: cat.token })).status,
      404,
    );
    const accepted = await call<{ offer: OfferJson; order: OrderJson }>(`${api.url}/v1/offers/${offer.id}/accept`, {
      method: 'POST',
      token: ben.token,
    });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.body.order.kind, 'second_chance');
    assert.equal(accepted.body.order.hammerPrice, 3000);
    assert.equal(accepted.body.order.buyersPremium, 150);
    assert.equal(accepted.body.order.buyerId, ben.id);
    const again = await call(`${api.url}/v1/offers/${offer.id}/decline`, { method: 'POST', token: ben.token });
    assert.equal(again.status, 409);
    const seen = await call<OfferJson>(`${api.url}/v1/offers/${offer.id}`, { token: seller.token });
    assert.equal(seen.body.orderId, accepted.body.order.id);
    assert.equal(await phaseOf(auctionId), 'awaiting_payment');
    const live = await database.db.select().from(orders).where(eq(orders.auctionId, auctionId));
    assert.equal(live.filter((o) => o.status === 'awaiting_payment').length, 1);
  });

  test('with autoSecondChance the offers go out in order by themselves until nobody is left', async () => {
    const { auctionId } = await sale({ paymentWindowSeconds: 1, buyersPremiumBps: 0, auto: true });
    // ann does not pay; ben's offer (2 s) lapses; cat's is declined; nobody is left.
    const catsOffer = await until('the offer to cat', async () => {
      const found = await call<{ items: { auctionId: string; data: { offerId?: string } }[] }>(
        `${api.url}/v1/users/me/notifications?limit=100`,
        { token: cat.token },
      );
      return found.body.items.find((n) => n.auctionId === auctionId && n.data.offerId)?.data.offerId;
    });
    await waitForNotifications(api.url, ben.token, { type: 'second_chance_offer', auctionId });
    const declined = await call<{ offer: OfferJson }>(`${api.url}/v1/offers/${catsOffer}/decline`, {
      method: 'POST',
      token: cat.token,
    });
    assert.equal(declined.status, 200, JSON.stringify(declined.body));
    assert.equal(declined.body.offer.status, 'declined');
    const final: SettlementState = (await settlementOf(auctionId).result()) as SettlementState;
    assert.equal(final.phase, 'closed');
    assert.equal(final.offerIds.length, 2);
    const answered = await waitForNotifications(api.url, seller.token, {
      type: 'second_chance_answered',
      auctionId,
      count: 2,
    });
    assert.deepEqual(answered.map((n) => n.data.offerStatus).sort(), ['declined', 'expired']);
  });
});
