/**
 * Paying an order on the real stack: Checkout Sessions made through the official SDK against
 * stripe-mock, and Stripe's webhook events signed as Stripe signs them. Invariants: one paid order per
 * auction at most, each event applied once, and no payment lost (one the order cannot take is refunded).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { orders, payouts, stripeEvents } from '../db/settlement-schema.js';
import type { SettlementState } from '../domain/settlement/workflow.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type ErrorJson } from './helpers/http.js';
import { orderAs, phaseOf, settlementOf, soldAuction, until, type SaleTerms, type User } from './helpers/settlement.js';
import {
  deliverEvent,
  paidCheckoutSession,
  signedStripeEvent,
  stripeEvent,
  stripeId,
  type SignOptions,
} from './helpers/stripe.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let seller: User;
let ann: User;
let ben: User;
before(async () => {
  database = await createTestDatabase();
  const settlement = { SETTLEMENT_MIN_WINDOW_SECONDS: '1' };
  worker = await startTestWorker(database.db, settlement);
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: worker.taskQueue, ...settlement });
  seller = await signUp(api.url, 'seller');
  ann = await signUp(api.url, 'ann');
  ben = await signUp(api.url, 'ben');
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
});

/** ann wins at ben's maximum plus an increment. */
const sale = (terms: SaleTerms = { paymentWindowSeconds: 3600, buyersPremiumBps: 1000 }) =>
  soldAuction(
    { apiUrl: api.url, database, seller },
    [
      [ben, 3000],
      [ann, 5000],
    ],
    terms,
  );

const postEvent = (event: object | string, sign: SignOptions = {}) => deliverEvent(api.url, event, sign);

/** The event Stripe sends when the buyer has paid on the Checkout page. */
const paidSession = paidCheckoutSession;

describe('checkout', () => {
  test('the buyer gets a Stripe Checkout page for the total; asked again, the same one', async () => {
    const { orderId } = await sale();
    const first = await call<{ checkoutUrl: string; sessionId: string; expiresAt: string }>(
      `${api.url}/v1/orders/${orderId}/checkout`,
      { method: 'POST', token: ann.token },
    );
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.match(first.body.sessionId, /^cs_/);
    assert.match(first.body.checkoutUrl, /^https:\/\//);
    const expiresAt = Date.parse(first.body.expiresAt);
    // payBy is an hour away: inside Stripe's 30 min – 24 h, so the session lives until payBy.
    const order = await orderAs(api.url, ann, orderId);
    assert.ok(Math.abs(expiresAt - Date.parse(order.payBy)) < 1000, `${first.body.expiresAt} vs ${order.payBy}`);
    const again = await call<{ sessionId: string }>(`${api.url}/v1/orders/${orderId}/checkout`, {
      method: 'POST',
      token: ann.token,
    });
    assert.equal(again.body.sessionId, first.body.sessionId);
  });

  test('only the buyer: the seller is refused (403), anyone else finds no such order (404)', async () => {
    const { orderId } = await sale();
    const bySeller = await call<ErrorJson>(`${api.url}/v1/orders/${orderId}/checkout`, {
      method: 'POST',
      token: seller.token,
    });
    assert.equal(bySeller.status, 403);
    assert.equal(bySeller.body.error.code, 'NOT_BUYER');
    const byBen = await call(`${api.url}/v1/orders/${orderId}/checkout`, { method: 'POST', token: ben.token });
    assert.equal(byBen.status, 404);
  });
});

describe('the webhook', () => {
  test('a signed payment pays the order once: payout recorded, settlement over; a repeat changes nothing', async () => {
    const { auctionId, orderId } = await sale();
    const order = await orderAs(api.url, ann, orderId);
    const event = paidSession(order);
    const applied = await postEvent(event);
    assert.deepEqual(applied, { status: 200, body: { outcome: 'paid' } });
    const paid = await orderAs(api.url, ann, orderId);
    assert.equal(paid.status, 'paid');
    assert.ok(paid.paidAt);
    // The row says closed a moment before the close starts the settlement: the payment can come first
    // (the settlement reads it when it starts), so its handle is taken once it runs.
    await until('the settlement’s start', async () => ((await phaseOf(worker.client, auctionId)) ? true : undefined));
    const final = (await settlementOf(worker.client, auctionId).result()) as SettlementState;
    assert.equal(final.phase, 'paid');

    const repeat = await postEvent(event);
    assert.deepEqual(repeat, { status: 200, body: { outcome: 'already_applied' } });
    assert.equal((await database.db.select().from(payouts).where(eq(payouts.orderId, orderId))).length, 1);
    assert.equal((await database.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id))).length, 1);

    const checkout = await call<ErrorJson>(`${api.url}/v1/orders/${orderId}/checkout`, {
      method: 'POST',
      token: ann.token,
    });
    assert.equal(checkout.status, 409);
    assert.equal(checkout.body.error.code, 'ORDER_NOT_PAYABLE');
  });

  test('a second payment for a paid order is refunded; the order stays paid by the first', async () => {
    const { orderId } = await sale();
    const order = await orderAs(api.url, ann, orderId);
    assert.equal((await postEvent(paidSession(order))).body.outcome, 'paid');
    const second = await postEvent(paidSession(order));
    assert.deepEqual(second, { status: 200, body: { outcome: 'refunded' } });
    const rows = await database.db.select().from(orders).where(eq(orders.id, orderId));
    assert.equal(rows[0]!.status, 'paid');
  });

  test('a wrong secret, a stale timestamp, no signature or a changed body: 400, nothing applied', async () => {
    const { orderId } = await sale();
    const order = await orderAs(api.url, ann, orderId);
    const event = paidSession(order);
    const wrong = await postEvent(event, { secret: 'whsec_not_the_one' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error?.code, 'INVALID_SIGNATURE');
    const stale = await postEvent(event, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    assert.equal(stale.status, 400);
    const signed = signedStripeEvent(event);
    const tampered = await fetch(`${api.url}/v1/payments/stripe/webhook`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body.replace(`"amount_total":${order.total}`, `"amount_total":${order.total + 1}`),
    });
    assert.equal(tampered.status, 400);
    const unsigned = await fetch(`${api.url}/v1/payments/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: signed.body,
    });
    assert.equal(unsigned.status, 400);
    assert.equal((await orderAs(api.url, ann, orderId)).status, 'awaiting_payment');
    assert.equal((await database.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id))).length, 0);
  });

  test('an amount that is not the order’s total is refunded; the order still awaits its payment', async () => {
    const { orderId } = await sale();
    const order = await orderAs(api.url, ann, orderId);
    const short = await postEvent(paidSession(order, { amount: order.total - 1 }));
    assert.deepEqual(short, { status: 200, body: { outcome: 'amount_mismatch_refunded' } });
    assert.equal((await orderAs(api.url, ann, orderId)).status, 'awaiting_payment');
  });

  test('a payment one second after the order expired is refunded, and the order marked refunded', async () => {
    const { auctionId, orderId } = await sale({ paymentWindowSeconds: 1, buyersPremiumBps: 0 });
    await until('the expiry', async () =>
      (await phaseOf(worker.client, auctionId)) === 'awaiting_seller' ? 1 : undefined,
    );
    const order = await orderAs(api.url, ann, orderId);
    assert.equal(order.status, 'expired');
    const late = await postEvent(paidSession(order));
    assert.deepEqual(late, { status: 200, body: { outcome: 'refunded' } });
    assert.equal((await orderAs(api.url, ann, orderId)).status, 'refunded');
    assert.equal((await database.db.select().from(payouts).where(eq(payouts.orderId, orderId))).length, 0);
  });

  test('reordered: a completed session still clearing after its success changes nothing', async () => {
    const { orderId } = await sale();
    const order = await orderAs(api.url, ann, orderId);
    const paymentIntent = stripeId('pi');
    const succeeded = stripeEvent('checkout.session.async_payment_succeeded', {
      ...paidSession(order, { paymentIntent }).data.object,
    });
    assert.equal((await postEvent(succeeded)).body.outcome, 'paid');
    const completedUnpaid = stripeEvent('checkout.session.completed', {
      ...paidSession(order, { paymentIntent }).data.object,
      payment_status: 'unpaid',
    });
    assert.equal((await postEvent(completedUnpaid)).body.outcome, 'awaiting_async_payment');
    assert.equal((await orderAs(api.url, ann, orderId)).status, 'paid');
  });

  test('a refund made in Stripe refunds the order and cancels the seller’s payout', async () => {
    const { orderId } = await sale();
    const order = await orderAs(api.url, ann, orderId);
    const paymentIntent = stripeId('pi');
    const paid = await postEvent(paidSession(order, { paymentIntent }));
    assert.equal(paid.body.outcome, 'paid', JSON.stringify(paid));
    const refunded = stripeEvent('charge.refunded', {
      id: stripeId('ch'),
      object: 'charge',
      payment_intent: paymentIntent,
      metadata: { orderId },
      refunded: true,
    });
    assert.equal((await postEvent(refunded)).body.outcome, 'order_refunded');
    assert.equal((await orderAs(api.url, ann, orderId)).status, 'refunded');
    const [payout] = await database.db.select().from(payouts).where(eq(payouts.orderId, orderId));
    assert.equal(payout!.status, 'cancelled');
  });

  test('a partial refund made in Stripe leaves the order paid and the payout owed', async () => {
    const { orderId } = await sale();
    const order = await orderAs(api.url, ann, orderId);
    const paymentIntent = stripeId('pi');
    assert.equal((await postEvent(paidSession(order, { paymentIntent }))).body.outcome, 'paid');
    const partial = stripeEvent('charge.refunded', {
      id: stripeId('ch'),
      object: 'charge',
      payment_intent: paymentIntent,
      metadata: { orderId },
      amount: order.total,
      amount_refunded: 500,
      refunded: false,
    });
    assert.equal((await postEvent(partial)).body.outcome, 'partial_refund');
    assert.equal((await orderAs(api.url, ann, orderId)).status, 'paid');
    const [payout] = await database.db.select().from(payouts).where(eq(payouts.orderId, orderId));
    assert.equal(payout!.status, 'pending');
  });

  test('a refund whose event comes before its payment’s: that payment never pays the order, a new one does', async () => {
    const { orderId } = await sale();
    const order = await orderAs(api.url, ann, orderId);
    const refundedFirst = stripeId('pi');
    // Stripe's charge for a Checkout payment carries no order id unless it was copied there: none here.
    const refund = stripeEvent('charge.refunded', {
      id: stripeId('ch'),
      object: 'charge',
      payment_intent: refundedFirst,
      metadata: {},
      refunded: true,
    });
    assert.equal((await postEvent(refund)).body.outcome, 'refund_recorded');
    const late = await postEvent(paidSession(order, { paymentIntent: refundedFirst }));
    assert.deepEqual(late, { status: 200, body: { outcome: 'payment_already_refunded' } });
    assert.equal((await orderAs(api.url, ann, orderId)).status, 'awaiting_payment');
    assert.deepEqual(await database.db.select().from(payouts).where(eq(payouts.orderId, orderId)), []);

    const paid = await postEvent(paidSession(order, { paymentIntent: stripeId('pi') }));
    assert.equal(paid.body.outcome, 'paid', JSON.stringify(paid));
    assert.equal((await orderAs(api.url, ann, orderId)).status, 'paid');
  });

  test('a refund and its payment’s event at once: the order ends paid then refunded, or still awaiting payment', async () => {
    const { orderId } = await sale();
    const order = await orderAs(api.url, ann, orderId);
    const paymentIntent = stripeId('pi');
    const refund = stripeEvent('charge.refunded', {
      id: stripeId('ch'),
      object: 'charge',
      payment_intent: paymentIntent,
      metadata: {},
      refunded: true,
    });
    const [payment, refundAnswer] = await Promise.all([
      postEvent(paidSession(order, { paymentIntent })),
      postEvent(refund),
    ]);
    const answers = [payment, refundAnswer];
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200],
    );
    const status = (await orderAs(api.url, ann, orderId)).status;
    const [payout] = await database.db.select().from(payouts).where(eq(payouts.orderId, orderId));
    if (payment.body.outcome === 'paid') {
      assert.equal(refundAnswer.body.outcome, 'order_refunded');
      assert.equal(status, 'refunded');
      assert.equal(payout!.status, 'cancelled');
    } else {
      assert.deepEqual(
        answers.map((answer) => answer.body.outcome),
        ['payment_already_refunded', 'refund_recorded'],
      );
      assert.equal(status, 'awaiting_payment');
      assert.equal(payout, undefined);
    }
  });

  test('event types it does not handle are answered 200 and ignored', async () => {
    const other = stripeEvent('customer.created', { id: stripeId('cus'), object: 'customer' });
    assert.deepEqual(await postEvent(other), { status: 200, body: { outcome: 'ignored' } });
  });
});
