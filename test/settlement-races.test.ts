/**
 * A bidder or buyer who acts on a settlement notice before the activity that sent it has reported
 * back to the workflow: normally a matter of milliseconds, but for 30 s and more when the worker died
 * in between (the fault scenarios kill it there). The test holds the notice itself (a lock on the
 * user's webhook row, which the notice's statement needs) to keep that moment open.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import pg from 'pg';
import { webhooks } from '../db/schema.js';
import { orders, secondChanceOffers } from '../db/settlement-schema.js';
import type { SettlementState } from '../domain/settlement/workflow.js';
import { createWebhookSecret } from '../domain/notifications/webhook-signature.js';
import type { NotificationType } from '../domain/notifications/types.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp } from './helpers/http.js';
import {
  phaseOf,
  settlementOf,
  soldAuction,
  until,
  type OfferJson,
  type OrderJson,
  type User,
} from './helpers/settlement.js';
import { deliverEvent, paidCheckoutSession } from './helpers/stripe.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let seller: User;
let ann: User;
let ben: User;
before(async () => {
  database = await createTestDatabase();
  const settlement = { SETTLEMENT_MIN_WINDOW_SECONDS: '1', SECOND_CHANCE_OFFER_WINDOW_SECONDS: '10' };
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

/** ann wins and does not pay; the lot is offered to ben by itself. */
const sale = () =>
  soldAuction(
    { apiUrl: api.url, database, seller },
    [
      [ben, 3000],
      [ann, 5000],
    ],
    { paymentWindowSeconds: 2, buyersPremiumBps: 0, auto: true },
  );

/** Holds every notice of `type` to `user` inside its statement, until the returned release is called. */
async function holdNotices(user: User, type: NotificationType): Promise<() => Promise<void>> {
  const [hook] = await database.db
    .insert(webhooks)
    .values({ userId: user.id, url: 'http://127.0.0.1:9/hook', types: [type], secret: createWebhookSecret() })
    .returning();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT id FROM webhooks WHERE id = $1 FOR UPDATE', [hook!.id]);
  return async () => {
    await client.query('COMMIT');
    await client.end();
  };
}

const openOfferOf = (auctionId: string) =>
  until('the offer', async () => {
    const [row] = await database.db
      .select()
      .from(secondChanceOffers)
      .where(and(eq(secondChanceOffers.auctionId, auctionId), eq(secondChanceOffers.status, 'open')));
    return row;
  });

test('an offer accepted while it is still being made (its notice out, its activity not reported back) is the bidder’s', async () => {
  const { auctionId } = await sale();
  const release = await holdNotices(ben, 'second_chance_offer');
  const offer = await openOfferOf(auctionId);
  const accepting = call<{ offer: OfferJson; order: OrderJson }>(`${api.url}/v1/offers/${offer.id}/accept`, {
    method: 'POST',
    token: ben.token,
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await release();
  const accepted = await accepting;
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  assert.equal(accepted.body.order.buyerId, ben.id);
  assert.equal(await phaseOf(worker.client, auctionId), 'awaiting_payment');
});

test('a second-chance order paid before its acceptance came back: the settlement hears of it at once, not at payBy', async () => {
  const { auctionId } = await sale();
  await openOfferOf(auctionId);
  await until('the offer is live', async () =>
    (await phaseOf(worker.client, auctionId)) === 'offer_open' ? 1 : undefined,
  );
  const release = await holdNotices(ben, 'payment_due');
  const offer = await openOfferOf(auctionId);
  const accepting = call(`${api.url}/v1/offers/${offer.id}/accept`, { method: 'POST', token: ben.token });
  const order = await until('ben’s order', async () => {
    const [row] = await database.db.select().from(orders).where(eq(orders.offerId, offer.id));
    return row;
  });
  const paid = await deliverEvent(api.url, paidCheckoutSession(order));
  assert.deepEqual(paid, { status: 200, body: { outcome: 'paid' } });
  await release();
  assert.equal((await accepting).status, 200);
  const handle = settlementOf(worker.client, auctionId);
  assert.equal(((await handle.result()) as SettlementState).phase, 'paid');
  const ended = (await handle.describe()).closeTime!;
  assert.ok(
    ended.getTime() < order.payBy.getTime(),
    `ended ${ended.toISOString()}, payBy ${order.payBy.toISOString()}`,
  );
});
