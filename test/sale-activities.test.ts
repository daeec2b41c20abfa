/**
 * The sale workflow's activities (activities/sales/) on the test stack's real Postgres and Redis, with
 * the real scripts (lua/sale-store.ts): claims become orders, expired holds go to the waitlist (a new
 * order and its waitlist_offer notice) or back to available, a paid order's hold is sold and never
 * released, each hold ends exactly once however often (or however concurrently) the expiry runs, and a
 * cancel voids what awaits payment and keeps what is paid. Holds last a few hundred milliseconds here.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { NotificationPipeline } from '../activities/notifications/pipeline.js';
import { EXPIRED_REASON } from '../activities/sales/hold-fates.js';
import { createSaleActivities, type SaleActivities } from '../activities/sales/index.js';
import { closeRedis, createRedis, type RedisClient } from '../config/redis.js';
import { readListingChanges } from '../lua/listing-feed.js';
import { applyPayment, lockOrder, type PaymentOutcome } from '../db/order-payments.js';
import { sales } from '../db/sales-schema.js';
import { notifications } from '../db/notifications-schema.js';
import { orders } from '../db/settlement-schema.js';
import { countsAreWhole, SALE_STATE_RETENTION_MS, type SaleCounts } from '../domain/sales/sale.js';
import { saleKeys, SaleStore } from '../lua/sale-store.js';
import { testConfig } from './helpers/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertUser } from './helpers/fixtures.js';

const PRICE = 2_500;

let database: TestDatabase;
let redis: RedisClient;
let store: SaleStore;
let activities: SaleActivities;

before(async () => {
  database = await createTestDatabase();
  redis = createRedis(testConfig(), 'worker');
  store = new SaleStore(redis);
  activities = createSaleActivities({
    db: database.db,
    redis,
    saleStore: store,
    pipeline: new NotificationPipeline(database.db, redis),
  });
});
after(async () => {
  await closeRedis(redis);
  await database.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface SalePlan {
  stock: number;
  holdMs: number;
  perUserLimit?: number;
  endsInMs?: number;
}

/** A sale as the API makes it (its row, its Redis state), opened as the workflow opens it. */
/** The statuses the listing feed has been told for this sale, oldest first. */
async function notedStatuses(saleId: string): Promise<string[]> {
  const entries = await readListingChanges(redis, '0-0', { count: 100_000 });
  return entries.flatMap((entry) =>
    (entry.changes ?? []).flatMap((change) =>
      change.kind === 'status' && change.id === saleId ? [change.status] : [],
    ),
  );
}

async function openedSale(plan: SalePlan) {
  const db = database.db;
  const seller = await insertUser(db, `seller-${randomUUID().slice(0, 8)}`);
  const startsAtMs = Date.now() - 1000;
  const endsAtMs = plan.endsInMs === undefined ? null : Date.now() + plan.endsInMs;
  const perUserLimit = plan.perUserLimit ?? 1;
  const [row] = await db
    .insert(sales)
    .values({
      sellerId: seller.id,
      title: 'Limited sneakers',
      price: PRICE,
      currency: 'EUR',
      stock: plan.stock,
      perUserLimit,
      holdSeconds: Math.max(1, Math.ceil(plan.holdMs / 1000)),
      startsAt: new Date(startsAtMs),
      endsAt: endsAtMs === null ? null : new Date(endsAtMs),
      available: plan.stock,
    })
    .returning();
  const saleId = row!.id;
  await store.initSale(saleId, {
    sellerId: seller.id,
    stock: plan.stock,
    perUserLimit,
    holdMs: plan.holdMs,
    startsAtMs,
    endsAtMs,
  });
  assert.equal(await activities.openSale(saleId), 'open');
  return { saleId, seller };
}

async function claim(saleId: string, userId: string, quantity = 1) {
  const result = await store.claim(saleId, {
    userId,
    quantity,
    orderId: randomUUID(),
    idempotencyKey: null,
    solution: null,
  });
  if (result.outcome !== 'held') assert.fail(`the claim was refused: ${JSON.stringify(result)}`);
  return result;
}

const buyers = (n: number) =>
  Promise.all(Array.from({ length: n }, () => insertUser(database.db, `buyer-${randomUUID().slice(0, 8)}`)));

const ordersOf = (saleId: string) => database.db.select().from(orders).where(eq(orders.saleId, saleId));

async function orderOf(orderId: string) {
  const [row] = await database.db.select().from(orders).where(eq(orders.id, orderId));
  assert.ok(row, `no order ${orderId}`);
  return row;
}

async function countsOf(saleId: string): Promise<SaleCounts> {
  const snapshot = await store.snapshot(saleId);
  assert.ok(snapshot);
  return snapshot.counts;
}

async function saleRow(saleId: string) {
  const [row] = await database.db.select().from(sales).where(eq(sales.id, saleId));
  return row!;
}

/** The webhook's payment, as db/order-payments.ts applies it under the order's row lock. */
function pay(orderId: string): Promise<PaymentOutcome> {
  return database.db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    assert.ok(order);
    return applyPayment(tx, order, { via: 'stripe', paymentIntentId: `pi_${randomUUID()}` }, 1000);
  });
}

const offersTo = (userId: string) =>
  database.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.type, 'waitlist_offer')));

test('when holds are claimed, then persistSale makes each its order, copies the counts to the row and trims the log', async () => {
  const { saleId, seller } = await openedSale({ stock: 5, holdMs: 60_000, perUserLimit: 3 });
  const [ann, ben] = await buyers(2);
  const first = await claim(saleId, ann!.id, 1);
  const second = await claim(saleId, ben!.id, 3);

  const progress = await activities.persistSale(saleId, 0);
  assert.deepEqual(progress, {
    persistedSeq: 2,
    earliestHoldExpiryMs: first.holdExpiresAtMs,
    counts: { available: 1, held: 4, sold: 0 },
    phase: 'open',
  });
  const rows = await ordersOf(saleId);
  const byId = new Map(rows.map((o) => [o.id, o]));
  assert.equal(rows.length, 2);
  for (const [held, buyer] of [
    [first, ann!],
    [second, ben!],
  ] as const) {
    const order = byId.get(held.orderId)!;
    assert.deepEqual(
      {
        kind: order.kind,
        saleId: order.saleId,
        auctionId: order.auctionId,
        buyerId: order.buyerId,
        sellerId: order.sellerId,
        quantity: order.quantity,
        hammerPrice: order.hammerPrice,
        buyersPremium: order.buyersPremium,
        total: order.total,
        currency: order.currency,
        status: order.status,
        payBy: order.payBy.getTime(),
      },
      {
        kind: 'sale',
        saleId,
        auctionId: null,
        buyerId: buyer.id,
        sellerId: seller.id,
        quantity: held.quantity,
        hammerPrice: PRICE * held.quantity,
        buyersPremium: 0,
        total: PRICE * held.quantity,
        currency: 'EUR',
        status: 'awaiting_payment',
        payBy: held.holdExpiresAtMs,
      },
    );
  }
  const row = await saleRow(saleId);
  assert.deepEqual([row.phase, row.available, row.held, row.sold], ['open', 1, 4, 0]);
  assert.equal(await redis.xlen(saleKeys(saleId).log), 0, 'the persisted log was not trimmed');
  // The wake flag is cleared, so the next claim wakes the workflow again.
  assert.equal(await redis.exists(saleKeys(saleId).wake), 0);

  // A repeat (a retry after a crash) writes nothing twice.
  await activities.persistSale(saleId, 0);
  assert.equal((await ordersOf(saleId)).length, 2);
});

test('when holds of a sold-out sale expire, then the first goes to the buyer waiting as a new order with a waitlist_offer, the next back to available', async () => {
  const { saleId } = await openedSale({ stock: 2, holdMs: 300 });
  const [ann, ben, cat] = await buyers(3);
  const annHold = await claim(saleId, ann!.id);
  const benHold = await claim(saleId, ben!.id);
  assert.deepEqual(await store.joinWaitlist(saleId, cat!.id, 1), { outcome: 'waiting', position: 1 });
  const persisted = await activities.persistSale(saleId, 0);
  await sleep(400);

  const progress = await activities.settleDueHolds(saleId, persisted.persistedSeq);
  for (const orderId of [annHold.orderId, benHold.orderId]) {
    const order = await orderOf(orderId);
    assert.deepEqual([order.status, order.statusReason], ['expired', EXPIRED_REASON]);
    assert.ok(order.closedAt);
  }
  const catOrders = (await ordersOf(saleId)).filter((o) => o.buyerId === cat!.id);
  assert.equal(catOrders.length, 1, 'the buyer waiting got no order');
  const catOrder = catOrders[0]!;
  assert.deepEqual([catOrder.status, catOrder.quantity, catOrder.total], ['awaiting_payment', 1, PRICE]);
  assert.deepEqual(progress.counts, { available: 1, held: 1, sold: 0 });
  assert.equal(progress.persistedSeq, 3, 'the waitlist hold was not persisted');
  assert.equal(progress.earliestHoldExpiryMs, catOrder.payBy.getTime());
  const offers = await offersTo(cat!.id);
  assert.equal(offers.length, 1);
  assert.deepEqual(offers[0]!.data, {
    title: 'Limited sneakers',
    saleId,
    orderId: catOrder.id,
    quantity: 1,
    currency: 'EUR',
    total: PRICE,
    payBy: catOrder.payBy.toISOString(),
    role: 'buyer',
  });
  assert.equal(offers[0]!.auctionId, null);
  const row = await saleRow(saleId);
  assert.deepEqual([row.available, row.held, row.sold], [1, 1, 0]);

  // Nobody waits for cat's units: they go back to available.
  await sleep(400);
  const after = await activities.settleDueHolds(saleId, progress.persistedSeq);
  assert.equal((await orderOf(catOrder.id)).status, 'expired');
  assert.deepEqual(after.counts, { available: 2, held: 0, sold: 0 });
  assert.equal(after.earliestHoldExpiryMs, null);
  assert.equal((await offersTo(cat!.id)).length, 1);
});

test('when an order is paid, then its hold is sold, at once on its signal or at its expiry, never released; a payment after the expiry is refused', async () => {
  const { saleId } = await openedSale({ stock: 3, holdMs: 300 });
  const [ann, ben, cat] = await buyers(3);
  const annHold = await claim(saleId, ann!.id);
  const benHold = await claim(saleId, ben!.id);
  const catHold = await claim(saleId, cat!.id);
  const { persistedSeq } = await activities.persistSale(saleId, 0);

  // ann pays in time: her signal settles the hold at once.
  assert.equal((await pay(annHold.orderId)).outcome, 'paid');
  const paid = await activities.settleSaleOrder(saleId, annHold.orderId, persistedSeq);
  assert.deepEqual(paid.counts, { available: 0, held: 2, sold: 1 });
  // A signal for an order not paid changes nothing.
  const unpaid = await activities.settleSaleOrder(saleId, catHold.orderId, persistedSeq);
  assert.deepEqual(unpaid.counts, { available: 0, held: 2, sold: 1 });

  // ben pays after Redis's expiry but before the expiry run: the row lock says paid, so it is sold.
  await sleep(400);
  assert.equal((await pay(benHold.orderId)).outcome, 'paid');
  const expired = await activities.settleDueHolds(saleId, persistedSeq);
  assert.deepEqual(expired.counts, { available: 1, held: 0, sold: 2 });
  assert.equal((await orderOf(benHold.orderId)).status, 'paid');
  assert.equal((await orderOf(catHold.orderId)).status, 'expired');
  // cat pays after the run expired the order: not payable (the webhook refunds), and nothing changes.
  assert.equal((await pay(catHold.orderId)).outcome, 'not_payable');
  await activities.settleSaleOrder(saleId, catHold.orderId, persistedSeq);
  assert.deepEqual(await countsOf(saleId), { available: 1, held: 0, sold: 2 });
});

test('when a sale finishes, every unit sold or cancelled with nothing held, then its Redis state expires in a week, and not before', async () => {
  const ttlOf = async (saleId: string) => {
    const keys = saleKeys(saleId);
    return Promise.all([keys.state, keys.units, keys.log].map((key) => redis.pttl(key)));
  };
  const soldOut = await openedSale({ stock: 1, holdMs: 60_000 });
  const [ann] = await buyers(1);
  const hold = await claim(soldOut.saleId, ann!.id);
  const { persistedSeq } = await activities.persistSale(soldOut.saleId, 0);
  assert.deepEqual(await ttlOf(soldOut.saleId), [-1, -1, -1], 'a unit held: the sale is not finished');
  assert.equal((await pay(hold.orderId)).outcome, 'paid');
  const sold = await activities.settleSaleOrder(soldOut.saleId, hold.orderId, persistedSeq);
  assert.deepEqual(sold.counts, { available: 0, held: 0, sold: 1 });
  for (const ttl of await ttlOf(soldOut.saleId)) {
    assert.ok(ttl > SALE_STATE_RETENTION_MS - 60_000 && ttl <= SALE_STATE_RETENTION_MS, `ttl ${ttl}`);
  }

  const cancelled = await openedSale({ stock: 3, holdMs: 60_000 });
  await activities.persistSale(cancelled.saleId, 0);
  assert.equal(await redis.pttl(saleKeys(cancelled.saleId).state), -1, 'open, with units to claim');
  await activities.cancelSale(cancelled.saleId, 'withdrawn', 0);
  const stateTtl = await redis.pttl(saleKeys(cancelled.saleId).state);
  assert.ok(stateTtl > 0 && stateTtl <= SALE_STATE_RETENTION_MS, `ttl ${stateTtl}`);
});

test('when the expiry runs several times at once, then each hold ends exactly once: the waitlist gets each unit once and the counts stay whole', async () => {
  const stock = 12;
  const { saleId } = await openedSale({ stock, holdMs: 500 });
  const claimers = await buyers(stock);
  const waiting = await buyers(5);
  const holds = await Promise.all(claimers.map((user) => claim(saleId, user.id)));
  for (const user of waiting) assert.equal((await store.joinWaitlist(saleId, user.id, 1)).outcome, 'waiting');
  await activities.persistSale(saleId, 0);
  // One of them paid just before the expiry.
  assert.equal((await pay(holds[0]!.orderId)).outcome, 'paid');
  await sleep(600);

  const runs = await Promise.all([0, 0, 0, 0].map((seq) => activities.settleDueHolds(saleId, seq)));
  await activities.settleDueHolds(saleId, Math.max(...runs.map((r) => r.persistedSeq)));

  const counts = await countsOf(saleId);
  assert.ok(countsAreWhole(stock, counts), JSON.stringify(counts));
  // 11 released units: 5 to the waitlist (one each), 6 back; 1 sold.
  assert.deepEqual(counts, { available: 6, held: 5, sold: 1 });
  const rows = await ordersOf(saleId);
  const live = rows.filter((o) => o.status === 'awaiting_payment' || o.status === 'paid');
  assert.ok(live.reduce((sum, o) => sum + o.quantity, 0) <= stock, 'orders for more units than the stock');
  const waitlistOrders = rows.filter((o) => waiting.some((u) => u.id === o.buyerId));
  assert.deepEqual(waitlistOrders.map((o) => o.buyerId).sort(), waiting.map((u) => u.id).sort());
  assert.ok(waitlistOrders.every((o) => o.status === 'awaiting_payment'));
  for (const user of waiting) assert.equal((await offersTo(user.id)).length, 1, 'an offer made other than once');
  assert.equal(rows.filter((o) => o.status === 'expired').length, stock - 1);
  // The row says what Redis says.
  const row = await saleRow(saleId);
  assert.deepEqual({ available: row.available, held: row.held, sold: row.sold }, counts);
});

test('when a sale is cancelled, then its orders awaiting payment are cancelled with the reason (the unpersisted one too), paid ones kept, and every hold ended', async () => {
  const { saleId } = await openedSale({ stock: 5, holdMs: 60_000 });
  const [ann, ben, cat, dan] = await buyers(4);
  const annHold = await claim(saleId, ann!.id);
  const benHold = await claim(saleId, ben!.id);
  const { persistedSeq } = await activities.persistSale(saleId, 0);
  assert.equal((await pay(benHold.orderId)).outcome, 'paid');
  const catHold = await claim(saleId, cat!.id); // not yet in Postgres

  const progress = await activities.cancelSale(saleId, 'the stock was damaged', persistedSeq);
  assert.ok((await notedStatuses(saleId)).includes('cancelled'), 'the listing feed is told');
  assert.deepEqual(progress, {
    persistedSeq: 3,
    earliestHoldExpiryMs: null,
    counts: { available: 4, held: 0, sold: 1 },
    phase: 'cancelled',
  });
  for (const orderId of [annHold.orderId, catHold.orderId]) {
    const order = await orderOf(orderId);
    assert.deepEqual([order.status, order.statusReason], ['cancelled', 'the stock was damaged']);
  }
  assert.equal((await orderOf(benHold.orderId)).status, 'paid');
  const row = await saleRow(saleId);
  assert.deepEqual(
    [row.phase, row.cancelReason, row.available, row.held, row.sold],
    ['cancelled', 'the stock was damaged', 4, 0, 1],
  );
  const refused = await store.claim(saleId, {
    userId: dan!.id,
    quantity: 1,
    orderId: randomUUID(),
    idempotencyKey: null,
    solution: null,
  });
  assert.deepEqual([refused.outcome, 'code' in refused && refused.code], ['refused', 'SALE_NOT_OPEN']);
  // A repeat (a retry) answers the same and changes nothing.
  assert.deepEqual(await activities.cancelSale(saleId, 'again', progress.persistedSeq), progress);
  assert.equal((await saleRow(saleId)).cancelReason, 'the stock was damaged');
});

test("when the workflow closes a sale before Redis's clock reaches the end, then it is told not yet, and closes once the end has come", async () => {
  const { saleId } = await openedSale({ stock: 2, holdMs: 60_000, endsInMs: 300 });
  const early = await activities.closeSale(saleId);
  assert.deepEqual([early.closed, early.phase], [false, 'open']);
  await sleep(400);
  const closing = await activities.closeSale(saleId);
  assert.deepEqual([closing.closed, closing.phase], [true, 'closed']);
  assert.equal((await saleRow(saleId)).phase, 'closed');
  // The listings hear of it on the listing feed (api/discovery/).
  assert.ok((await notedStatuses(saleId)).includes('closed'));
  // A cancel after the close finds it closed: nothing is cancelled.
  const cancel = await activities.cancelSale(saleId, 'too late', 0);
  assert.equal(cancel.phase, 'closed');
  assert.equal((await saleRow(saleId)).cancelReason, null);
});
