/**
 * Flash sales' invariants on the real stack (API, worker, Temporal, Postgres, Redis, stripe-mock):
 *   - a burst of 10,000 claims from 5,000 users on stock 100 with a limit of 2 holds exactly 100 units,
 *     nobody over 2, and every claim gets a definite 201 or 409, never a 5xx;
 *   - unpaid holds expire and their units go to the waitlist, in the order it was joined, each buyer
 *     told; what nobody waits for goes back to available;
 *   - a payment that arrives after its hold expired is refunded; paid units never exceed the stock,
 *     and stock = available + held + sold in Redis and in Postgres alike.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { notifications } from '../db/notifications-schema.js';
import { sales } from '../db/sales-schema.js';
import { orders } from '../db/settlement-schema.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { crowd, crowdSigningKey, type CrowdMember } from './helpers/crowd.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { claimAll, createSale, saleOf, type ClaimRequest } from './helpers/flash-sales.js';
import { call, signUp } from './helpers/http.js';
import { until } from './helpers/settlement.js';
import { deliverEvent, paidCheckoutSession } from './helpers/stripe.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

// Longer than the burst takes on a loaded machine: a hold expiring mid-burst would give its units out again.
const HOLD_SECONDS = 30;
let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let people: CrowdMember[];
let seller: { id: string; token: string };
before(async () => {
  database = await createTestDatabase();
  const key = crowdSigningKey();
  const env = { SALES_MIN_HOLD_SECONDS: '1', RATE_LIMIT_CLAIMS_PER_USER: 'off', RATE_LIMIT_CLAIMS_PER_IP: 'off' };
  worker = await startTestWorker(database.db, env);
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: worker.taskQueue, ...key.env, ...env });
  seller = await signUp(api.url, 'seller');
  people = await crowd(database.db, key.privateKey, 5000);
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
});

const saleOrders = (saleId: string) =>
  database.db.select().from(orders).where(eq(orders.saleId, saleId)).orderBy(asc(orders.createdAt));

const pay = (order: { id: string; total: number; currency: string }) =>
  deliverEvent(api.url, paidCheckoutSession(order));

test('10,000 claims, 5,000 users, stock 100, limit 2: exactly 100 held; expiry feeds the waitlist in order; late payments refunded', async () => {
  const sale = await createSale(api.url, seller.token, { stock: 100, perUserLimit: 2, holdSeconds: HOLD_SECONDS });

  // --- The burst: each person twice, one or two units each time.
  const requests: ClaimRequest[] = Array.from({ length: 10_000 }, (_, i) => {
    const person = people[i % people.length]!;
    return { userId: person.id, token: person.token, quantity: 1 + ((i * 7919) % 2) };
  });
  const answers = await claimAll(api.url, sale.id, requests);
  const byStatus = answers.reduce<Record<number, number>>(
    (acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }),
    {},
  );
  assert.deepEqual(Object.keys(byStatus).sort(), ['201', '409'], `answers by status: ${JSON.stringify(byStatus)}`);
  const held = answers.filter((a) => a.status === 201);
  assert.equal(
    held.reduce((sum, a) => sum + a.quantity, 0),
    100,
    'exactly the stock is held',
  );
  const perUser = new Map<string, number>();
  for (const a of held) perUser.set(a.userId, (perUser.get(a.userId) ?? 0) + a.quantity);
  assert.ok(
    [...perUser.values()].every((n) => n <= 2),
    'nobody holds more than the limit',
  );
  for (const a of answers.filter((x) => x.status === 409)) {
    const code = (a.body.error as { code: string }).code;
    assert.ok(code === 'SOLD_OUT' || code === 'LIMIT_REACHED', `a 409 is SOLD_OUT or LIMIT_REACHED, got ${code}`);
  }
  const afterBurst = await saleOf(api.url, sale.id);
  assert.deepEqual([afterBurst.available, afterBurst.held, afterBurst.sold], [0, 100, 0]);
  assert.equal(afterBurst.status, 'sold_out');

  // --- Every hold becomes an order awaiting payment (the workflow's persist cycle).
  const heldIds = held.map((a) => (a.body as { orderId: string }).orderId);
  const rows = await until('the holds as orders', async () => {
    const found = await database.db.select().from(orders).where(inArray(orders.id, heldIds));
    return found.length === heldIds.length ? found : undefined;
  });
  assert.ok(rows.every((o) => o.kind === 'sale' && o.status === 'awaiting_payment' && o.saleId === sale.id));

  // --- The waitlist: 20 people who got nothing, in this order, one unit each.
  const waiting = people.filter((p) => !perUser.has(p.id)).slice(0, 20);
  for (const [i, person] of waiting.entries()) {
    const joined = await call<{ position: number }>(`${api.url}/v1/sales/${sale.id}/waitlist`, {
      token: person.token,
      body: { quantity: 1 },
    });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    assert.equal(joined.body.position, i + 1);
  }

  // --- Most holds are paid in time, so fewer units come back than people wait: only the first are served.
  const paidInTime: typeof rows = [];
  let paidUnits = 0;
  for (const order of rows) {
    if (paidUnits >= 85) break;
    assert.equal((await pay(order)).body.outcome, 'paid');
    paidInTime.push(order);
    paidUnits += order.quantity;
  }
  const released = 100 - paidUnits;
  assert.ok(released > 0 && released < waiting.length);
  const expiredLate = rows[rows.length - 1]!;

  // The released units go to the waitlist, one each, to its first `released` people, each told.
  const fromWaitlist = await until(
    'the waitlist served',
    async () => {
      const found = (await saleOrders(sale.id)).filter((o) => !heldIds.includes(o.id));
      return found.length === released ? found : undefined;
    },
    HOLD_SECONDS * 1000 + 20_000,
  );
  assert.deepEqual(
    new Set(fromWaitlist.map((o) => o.buyerId)),
    new Set(waiting.slice(0, released).map((p) => p.id)),
    'the waitlist is served in the order it was joined',
  );
  assert.ok(fromWaitlist.every((o) => o.quantity === 1 && o.status === 'awaiting_payment'));
  const expiredHolds = (await saleOrders(sale.id)).filter((o) => heldIds.includes(o.id) && o.status === 'expired');
  assert.equal(expiredHolds.length, rows.length - paidInTime.length);
  const served = waiting.slice(0, released).map((p) => p.id);
  const told = await until('the waitlist_offer notifications', async () => {
    const found = await database.db
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(and(eq(notifications.type, 'waitlist_offer'), inArray(notifications.userId, served)));
    return found.length === served.length ? found : undefined;
  });
  assert.equal(told.length, released);

  const settled = await until('the counts after expiry', async () => {
    const s = await saleOf(api.url, sale.id);
    return s.sold === paidUnits && s.held === released ? s : undefined;
  });
  assert.equal(settled.available, 0);

  // --- A payment after its hold expired is refunded; nothing more is sold.
  const late = await pay(expiredLate);
  assert.equal(late.body.outcome, 'refunded');
  const [lateRow] = await database.db.select().from(orders).where(eq(orders.id, expiredLate.id));
  assert.equal(lateRow?.status, 'refunded');
  const final = await saleOf(api.url, sale.id);
  assert.equal(final.sold, paidUnits);

  // --- Paid never beyond the stock; the counts whole in Redis and (once copied) in Postgres.
  const all = await saleOrders(sale.id);
  const paidTotal = all.filter((o) => o.status === 'paid').reduce((sum, o) => sum + o.quantity, 0);
  const liveTotal = all.filter((o) => o.status === 'awaiting_payment').reduce((sum, o) => sum + o.quantity, 0);
  assert.equal(paidTotal, paidUnits);
  assert.ok(paidTotal + liveTotal <= 100);
  assert.equal(final.available + final.held + final.sold, 100);
  const row = await until('the sales row caught up', async () => {
    const [r] = await database.db.select().from(sales).where(eq(sales.id, sale.id));
    return r && r.sold === paidUnits ? r : undefined;
  });
  assert.equal(row.available + row.held + row.sold, 100);
});
