/**
 * Redis SIGKILLed in the middle of a claim burst and restarted 2 s later (AOF everysec): the claims
 * that got no definite answer are retried with their Idempotency-Key until the sale sells out. Every
 * 201's hold must survive the restart and become its order, nothing is sold twice, and the counts stay
 * whole in Redis and in Postgres.
 */
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
import type { FaultStack } from './stack.js';

const STOCK = 100;
const LIMIT = 2;
const PEOPLE = 3000;
/** Holds acknowledged before Redis dies: well short of the stock, so the burst must go on after it. */
const KILL_AFTER_HOLDS = 20;
/** Definite answers (201, 409) and the app's own 503 while Redis is down: nothing else may be seen. */
const EXPECTED_ANSWERS = new Set(['201', '409', '503']);

export async function redisDuringBurst(stack: FaultStack): Promise<FlashSaleOutcome> {
  const { pool, seller, people, close } = await openFlashSale(stack, PEOPLE);
  try {
    // Long holds: none may expire while the burst and the checks run.
    const sale = await createSale(stack.apiUrl, seller.token, { stock: STOCK, perUserLimit: LIMIT, holdSeconds: 3600 });
    const claims: Claim[] = Array.from({ length: PEOPLE * 2 }, (_, i) => {
      const person = people[i % PEOPLE]!;
      return { userId: person.id, token: person.token, quantity: 1 + ((i * 7919) % 2), status: 0 };
    });
    const answers: Record<string, number> = {};
    let holdsBeforeKill = 0;
    let faultAt = 0;
    let fault: Promise<void> | undefined;
    const onAnswer = (claim: Claim) => {
      if (claim.status !== 201 || fault) return;
      holdsBeforeKill += 1;
      if (holdsBeforeKill < KILL_AFTER_HOLDS) return;
      faultAt = Date.now();
      fault = (async () => {
        await stack.kill('redis');
        await pause(2000);
        await stack.restart('redis');
      })();
      // Awaited after the burst; until then a failure must not count as unhandled and end the process.
      fault.catch(() => undefined);
    };
    await claimBurst(() => stack.apiUrl, sale.id, claims, answers, onAnswer, Date.now() + 180_000);
    await fault;

    const violations: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok) violations.push(what);
    };
    check(fault !== undefined, 'Redis was never killed: the burst acknowledged too few holds');
    const stray = Object.keys(answers).filter((a) => !EXPECTED_ANSWERS.has(a));
    check(stray.length === 0, `answers other than 201, 409 and the app's 503: ${stray.join(', ')}`);
    check((answers['503'] ?? 0) > 0, 'no claim met Redis down: the fault missed the burst');
    const unresolved = claims.filter((c) => c.status === 0).length;
    check(unresolved === 0, `${unresolved} claims left without a definite answer`);
    const held = claims.filter((c) => c.status === 201);
    const units = held.reduce((sum, c) => sum + c.quantity, 0);
    const heldIds = new Set(held.map((c) => c.orderId));
    check(heldIds.size === held.length, `${held.length} holds acknowledged under ${heldIds.size} order ids`);
    check(units === STOCK, `${units} units acknowledged, not the stock (${STOCK}): oversold, or not sold out`);
    const perUser = new Map<string, number>();
    for (const c of held) perUser.set(c.userId, (perUser.get(c.userId) ?? 0) + c.quantity);
    check(
      [...perUser.values()].every((n) => n <= LIMIT),
      'someone was acknowledged past the limit',
    );

    // Every acknowledged hold becomes its order (the workflow copies them from Redis's log), and no other.
    const orders =
      (await poll(async () => {
        const found = await saleOrders(pool, sale.id);
        return found.filter((o) => heldIds.has(o.id)).length === heldIds.size ? found : undefined;
      }, Date.now() + 60_000)) ?? (await saleOrders(pool, sale.id));
    const lost = [...heldIds].filter((id) => !orders.some((o) => o.id === id));
    check(lost.length === 0, `${lost.length} acknowledged holds never became orders`);
    const unknown = orders.filter((o) => !heldIds.has(o.id));
    check(unknown.length === 0, `${unknown.length} orders nobody was told of`);
    const orderUnits = orders.reduce((sum, o) => sum + o.quantity, 0);
    check(orderUnits <= STOCK, `orders for ${orderUnits} units: oversold`);
    const perBuyer = new Map<string, number>();
    for (const o of orders) perBuyer.set(o.buyer_id, (perBuyer.get(o.buyer_id) ?? 0) + o.quantity);
    check(
      [...perBuyer.values()].every((n) => n <= LIMIT),
      'a buyer has orders past the limit',
    );

    // The counts: whole, all held, and the sales row caught up with Redis.
    const counts =
      (await poll(async () => {
        const c = await saleCounts(stack, pool, sale.id);
        return countsOf(c.row) === countsOf(c.redis) ? c : undefined;
      }, Date.now() + 30_000)) ?? (await saleCounts(stack, pool, sale.id));
    check(
      countsOf(counts.redis) === countsOf({ available: 0, held: STOCK, sold: 0 }),
      'Redis: not exactly the stock held',
    );
    check(countsOf(counts.row) === countsOf(counts.redis), 'the sales row differs from Redis');
    check(counts.row.available + counts.row.held + counts.row.sold === STOCK, 'the sales row is not whole');

    const statuses: Record<string, number> = {};
    for (const o of orders) tally(statuses, o.status);
    return {
      scenario: `flash sale: Redis SIGKILL after ${holdsBeforeKill} holds of a ${claims.length}-claim burst, restarted 2 s later`,
      claims: claims.length,
      answers,
      acknowledgedUnits: units,
      orders: statuses,
      redis: countsOf(counts.redis),
      row: countsOf(counts.row),
      waitlist: '-',
      caught: holdsBeforeKill,
      violations,
      faultToSettledMs: Date.now() - faultAt,
    };
  } finally {
    await close();
  }
}
