/**
 * The worker SIGKILLed while holds expire, restarted 3 s later, the expiry activity caught at one of two
 * points by a lock of the test's (lock-hold.ts):
 *   - `update`: one expiring order's row, so it waits inside its update to 'expired', before Redis has
 *     settled anything; that update then commits on its own, and the restarted worker must settle the
 *     holds in Redis once, not never;
 *   - `notice`: the first waiter's webhook row, so it waits in their waitlist_offer notice, after Redis
 *     has released the holds and served the waitlist; the restarted worker must not release them again.
 * The released units go to a waitlist longer than the stock, whose holds expire in turn, until
 * everything is back to available.
 */
import { call } from '../../helpers/http.js';
import { startReceiver, status } from '../../helpers/webhook-receiver.js';
import { createSale } from '../../helpers/flash-sales.js';
import {
  claimBurst,
  countsOf,
  openFlashSale,
  pause,
  poll,
  saleCounts,
  saleOrders,
  tally,
  type Claim,
  type FlashSaleOutcome,
} from './flash-sale-run.js';
import { LockHold } from './lock-hold.js';
import type { FaultStack } from './stack.js';

const STOCK = 20;
const WAITERS = 30;
/** Long enough to copy the holds and join the waitlist before they expire on a loaded machine. */
const HOLD_SECONDS = 10;

export type CatchPoint = 'update' | 'notice';

export async function workerWhileHoldsExpire(stack: FaultStack, at: CatchPoint): Promise<FlashSaleOutcome> {
  const { pool, seller, people, close } = await openFlashSale(stack, STOCK + WAITERS);
  const receiver = await startReceiver([status(200)]);
  try {
    const sale = await createSale(stack.apiUrl, seller.token, {
      stock: STOCK,
      perUserLimit: 1,
      holdSeconds: HOLD_SECONDS,
    });
    const claims: Claim[] = people
      .slice(0, STOCK)
      .map((p) => ({ userId: p.id, token: p.token, quantity: 1, status: 0 }));
    const answers: Record<string, number> = {};
    await claimBurst(
      () => stack.apiUrl,
      sale.id,
      claims,
      answers,
      () => undefined,
      Date.now() + 30_000,
    );
    const waiters = people.slice(STOCK);
    const violations: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok) violations.push(what);
    };
    for (const [i, person] of waiters.entries()) {
      const joined = await call<{ position: number }>(`${stack.apiUrl}/v1/sales/${sale.id}/waitlist`, {
        token: person.token,
        body: { quantity: 1 },
      });
      tally(answers, `waitlist ${joined.status}`);
      check(joined.status === 200 && joined.body.position === i + 1, `waiter ${i + 1} joined: ${joined.status}`);
    }
    const heldIds = claims.map((c) => c.orderId);
    const held = await poll(async () => {
      const found = await saleOrders(pool, sale.id);
      return found.length === STOCK ? found : undefined;
    }, Date.now() + 30_000);
    if (!held) throw new Error('the holds never became orders');

    // Catch the expiry at its point, then kill the worker with it waiting there.
    const lock = await LockHold.take(stack.env.DATABASE_URL!, [
      at === 'update'
        ? { text: 'SELECT id FROM orders WHERE id = $1 FOR UPDATE', values: [held[0]!.id] }
        : { text: 'SELECT id FROM webhooks WHERE id = $1 FOR UPDATE', values: [await webhookOf(stack, waiters[0]!)] },
    ]);
    const caught = await lock.waitForWaiters(pool, 1, Date.now() + HOLD_SECONDS * 1000 + 30_000);
    check(caught > 0, 'the expiry was never caught mid-step: the fault tests nothing');
    const faultAt = Date.now();
    await stack.kill('worker');
    await lock.release();
    await pause(3000);
    await stack.restart('worker');

    // The end: every hold expired (the waitlist's too), all units available again.
    const all = STOCK + WAITERS;
    const settled = await poll(async () => {
      const c = await saleCounts(stack, pool, sale.id);
      const orders = await saleOrders(pool, sale.id);
      const done = orders.length >= all && orders.every((o) => o.status === 'expired');
      return done && c.redis.available === STOCK && c.row.available === STOCK ? { c, orders } : undefined;
    }, Date.now() + 180_000);
    const faultToSettledMs = Date.now() - faultAt;
    const counts = settled?.c ?? (await saleCounts(stack, pool, sale.id));
    const orders = settled?.orders ?? (await saleOrders(pool, sale.id));

    check(
      claims.every((c) => c.status === 201),
      'a first-come claim was not held',
    );
    const first = orders.filter((o) => heldIds.includes(o.id));
    const served = orders.filter((o) => !heldIds.includes(o.id));
    check(first.length === STOCK, `${first.length} of the ${STOCK} holds became orders`);
    check(
      served.length === WAITERS,
      `${served.length} waitlist holds for ${WAITERS} waiters (a release counted twice, or lost)`,
    );
    check(
      orders.every((o) => o.status === 'expired'),
      'not every hold expired',
    );
    const servedUnits = served.reduce((sum, o) => sum + o.quantity, 0);
    const expiredUnits = orders.reduce((sum, o) => sum + o.quantity, 0);
    check(counts.redis.available + servedUnits === expiredUnits, 'released units: available + served ≠ units expired');
    const perWaiter = new Map<string, number>();
    for (const o of served) perWaiter.set(o.buyer_id, (perWaiter.get(o.buyer_id) ?? 0) + 1);
    check(
      waiters.every((w) => perWaiter.get(w.id) === 1),
      'a waiter was served other than once',
    );
    // FIFO: the first STOCK units released went to the first STOCK waiters (the rest came a hold later).
    const firstServed = new Set(served.slice(0, STOCK).map((o) => o.buyer_id));
    check(
      waiters.slice(0, STOCK).every((w) => firstServed.has(w.id)),
      'the waitlist was not served in the order it was joined',
    );
    const { rows: notices } = await pool.query<{ user_id: string; n: number }>(
      `SELECT user_id, count(*)::int AS n FROM notifications
        WHERE type = 'waitlist_offer' AND user_id = ANY($1::uuid[]) GROUP BY user_id`,
      [people.map((p) => p.id)],
    );
    const told = notices.reduce((sum, r) => sum + r.n, 0);
    check(
      told === WAITERS && notices.every((r) => r.n === 1 && waiters.some((w) => w.id === r.user_id)),
      `${told} waitlist_offer notices for ${WAITERS} waiters`,
    );
    check(countsOf(counts.redis) === countsOf({ available: STOCK, held: 0, sold: 0 }), 'Redis: not all available');
    check(countsOf(counts.row) === countsOf(counts.redis), 'the sales row differs from Redis');

    const statuses: Record<string, number> = {};
    for (const o of orders) tally(statuses, o.status);
    return {
      scenario: `flash sale: worker SIGKILL while ${STOCK} holds expire (caught ${CAUGHT[at]}), restarted 3 s later`,
      claims: claims.length,
      answers,
      acknowledgedUnits: claims.filter((c) => c.status === 201).reduce((sum, c) => sum + c.quantity, 0),
      orders: statuses,
      redis: countsOf(counts.redis),
      row: countsOf(counts.row),
      waitlist: `${WAITERS} / ${served.length} / ${told}`,
      caught,
      violations,
      faultToSettledMs,
    };
  } finally {
    await receiver.close();
    await close();
  }

  /** A webhook of the waiter's for waitlist_offer alone: the lock on its row catches that notice only. */
  async function webhookOf(stack: FaultStack, waiter: { token: string }): Promise<string> {
    const made = await call<{ id: string }>(`${stack.apiUrl}/v1/users/me/webhooks`, {
      token: waiter.token,
      body: { url: receiver.url, types: ['waitlist_offer'] },
    });
    if (made.status !== 201) throw new Error(`webhook answered ${made.status}: ${JSON.stringify(made.body)}`);
    return made.body.id;
  }
}

const CAUGHT: Record<CatchPoint, string> = {
  update: 'in the update to expired',
  notice: 'after Redis released them, in a waitlist notice',
};
