/**
 * The flash-sale scripts against the test stack's real Redis. The main property: on random sales and
 * random sequences of claims, waitlist joins, payments and expiries, the scripts decide what the rules
 * in domain/sales/ decide, and stock = available + held + sold after every step: no oversell, ever.
 * Then a burst of concurrent claims, and the idempotency and proof-of-work marks.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { closeRedis, createRedis, type RedisClient } from '../config/redis.js';
import { decideClaim } from '../domain/sales/claim.js';
import { countsAreWhole, type SaleCounts } from '../domain/sales/sale.js';
import { releaseToWaitlist, type Waiting } from '../domain/sales/waitlist.js';
import { SaleStore, type SaleTerms } from '../lua/sale-store.js';
import { testConfig } from './helpers/config.js';
import { redisNowMs } from './helpers/redis.js';

let redis: RedisClient;
let store: SaleStore;
before(() => {
  redis = createRedis(testConfig(), 'worker');
  store = new SaleStore(redis);
});
after(async () => {
  await closeRedis(redis);
});

const SELLER = 'seller-1';

async function openSale(overrides: Partial<SaleTerms> = {}): Promise<{ saleId: string; terms: SaleTerms }> {
  const now = await redisNowMs(redis);
  const terms: SaleTerms = {
    sellerId: SELLER,
    stock: 10,
    perUserLimit: 2,
    holdMs: 600_000,
    startsAtMs: now - 60_000,
    endsAtMs: now + 3_600_000,
    ...overrides,
  };
  const saleId = randomUUID();
  await store.initSale(saleId, terms);
  return { saleId, terms };
}

const claim = (saleId: string, userId: string, quantity: number, idempotencyKey: string | null = null) =>
  store.claim(saleId, { userId, quantity, orderId: randomUUID(), idempotencyKey, solution: null });

const freshIds = (n: number) => Array.from({ length: n }, () => randomUUID());

/** What the model keeps of a sale: the rules' view, to hold the scripts to. */
interface Model {
  counts: SaleCounts;
  units: Map<string, number>;
  holds: Map<string, { userId: string; quantity: number }>;
  waitlist: Waiting[];
}

describe('the sale scripts against the rules', () => {
  test('random claims, joins, payments and expiries: the same decisions, whole counts, no oversell', async () => {
    const users = ['u1', 'u2', 'u3', 'u4', SELLER];
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('claim' as const),
        user: fc.constantFrom(...users),
        q: fc.integer({ min: 1, max: 3 }),
      }),
      fc.record({
        kind: fc.constant('join' as const),
        user: fc.constantFrom(...users),
        q: fc.integer({ min: 1, max: 3 }),
      }),
      fc.record({ kind: fc.constant('leave' as const), user: fc.constantFrom(...users) }),
      fc.record({ kind: fc.constant('expire' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('pay' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(op, { minLength: 1, maxLength: 30 }),
        async (stock, perUserLimit, ops) => {
          const { saleId, terms } = await openSale({ stock, perUserLimit });
          const m: Model = {
            counts: { available: stock, held: 0, sold: 0 },
            units: new Map(),
            holds: new Map(),
            waitlist: [],
          };
          const unitsOf = (u: string) => m.units.get(u) ?? 0;
          const addUnits = (u: string, q: number) => m.units.set(u, unitsOf(u) + q);
          for (const o of ops) {
            if (o.kind === 'claim') {
              const expected = decideClaim(
                {
                  ...m.counts,
                  phase: 'open',
                  sellerId: SELLER,
                  startsAtMs: terms.startsAtMs,
                  endsAtMs: terms.endsAtMs,
                  perUserLimit,
                  buyerUnits: unitsOf(o.user),
                },
                o.user,
                o.q,
                await redisNowMs(redis),
              );
              const got = await claim(saleId, o.user, o.q);
              if (expected.ok) {
                assert.equal(got.outcome, 'held');
                if (got.outcome !== 'held') return;
                m.counts.available -= o.q;
                m.counts.held += o.q;
                addUnits(o.user, o.q);
                m.holds.set(got.orderId, { userId: o.user, quantity: o.q });
              } else {
                assert.equal(got.outcome, 'refused');
                if (got.outcome !== 'refused') return;
                assert.equal(got.code, expected.code);
                if (expected.code === 'SOLD_OUT') assert.equal(got.waitlistOpen, expected.waitlistOpen);
              }
            } else if (o.kind === 'join') {
              const got = await store.joinWaitlist(saleId, o.user, o.q);
              const at = m.waitlist.findIndex((w) => w.userId === o.user);
              const code =
                o.user === SELLER
                  ? 'SELLER_CANNOT_BUY'
                  : unitsOf(o.user) + o.q > perUserLimit
                    ? 'LIMIT_REACHED'
                    : at >= 0
                      ? null
                      : m.counts.available >= o.q
                        ? 'UNITS_AVAILABLE'
                        : m.counts.held === 0
                          ? 'SOLD_OUT'
                          : null;
              if (code === null) {
                assert.equal(got.outcome, 'waiting');
                if (at >= 0) {
                  m.waitlist[at]!.quantity = o.q;
                  assert.deepEqual(got, { outcome: 'waiting', position: at + 1 });
                } else {
                  m.waitlist.push({ userId: o.user, quantity: o.q });
                  assert.deepEqual(got, { outcome: 'waiting', position: m.waitlist.length });
                }
              } else {
                assert.equal(got.outcome === 'refused' && got.code, code);
              }
            } else if (o.kind === 'leave') {
              const was = m.waitlist.some((w) => w.userId === o.user);
              m.waitlist = m.waitlist.filter((w) => w.userId !== o.user);
              assert.equal(await store.leaveWaitlist(saleId, o.user), was);
            } else {
              const ids = [...m.holds.keys()];
              if (ids.length === 0) continue;
              const id = ids[o.pick % ids.length]!;
              const hold = m.holds.get(id)!;
              m.holds.delete(id);
              m.counts.held -= hold.quantity;
              if (o.kind === 'pay') {
                m.counts.sold += hold.quantity;
                const got = await store.settleHolds(saleId, [id], [], []);
                assert.equal(got.sold, 1);
              } else {
                addUnits(hold.userId, -hold.quantity);
                const expected = releaseToWaitlist(hold.quantity, m.waitlist, perUserLimit, unitsOf);
                const got = await store.settleHolds(saleId, [], [id], freshIds(hold.quantity));
                assert.equal(got.released, 1);
                assert.deepEqual(
                  got.newHolds.map(({ userId, quantity }) => ({ userId, quantity })),
                  expected.served,
                );
                for (const h of got.newHolds) {
                  m.holds.set(h.orderId, { userId: h.userId, quantity: h.quantity });
                  addUnits(h.userId, h.quantity);
                  m.counts.held += h.quantity;
                }
                m.waitlist = expected.waiting;
                m.counts.available += expected.unclaimed;
              }
            }
            const snap = (await store.snapshot(saleId))!;
            assert.deepEqual(snap.counts, m.counts);
            assert.ok(countsAreWhole(stock, snap.counts));
          }
          // Every hold made is in the log, once, in order: what Postgres gets as orders.
          const logged = await store.readLog(saleId, 0, 1000);
          assert.deepEqual(
            logged.map((l) => l.seq),
            logged.map((_, i) => i + 1),
          );
          await store.discardSale(saleId);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('claims under load', () => {
  test('10,000 concurrent claims from 5,000 users on stock 100, limit 2: exactly 100 held, nobody over 2', async () => {
    const { saleId } = await openSale({ stock: 100, perUserLimit: 2 });
    const answers = await Promise.all(
      Array.from({ length: 10_000 }, (_, i) => claim(saleId, `user-${i % 5000}`, 1 + (i % 2))),
    );
    const held = answers.filter((a) => a.outcome === 'held');
    const units = held.reduce((sum, a) => sum + (a.outcome === 'held' ? a.quantity : 0), 0);
    assert.equal(units, 100);
    // A user's second claim is refused LIMIT_REACHED when the first took 2: both are definite answers.
    assert.ok(
      answers.every(
        (a) =>
          a.outcome === 'held' || (a.outcome === 'refused' && (a.code === 'SOLD_OUT' || a.code === 'LIMIT_REACHED')),
      ),
    );
    const perUser = await redis.hgetall(`sale:{${saleId}}:units`);
    assert.ok(Object.values(perUser).every((n) => Number(n) >= 1 && Number(n) <= 2));
    assert.equal(
      Object.values(perUser).reduce((sum, n) => sum + Number(n), 0),
      100,
    );
    const snap = (await store.snapshot(saleId))!;
    assert.deepEqual(snap.counts, { available: 0, held: 100, sold: 0 });
    assert.equal((await store.readLog(saleId, 0, 1000)).length, held.length);
    await store.discardSale(saleId);
  });

  test('settling the same holds twice, at once, ends each exactly once', async () => {
    const { saleId } = await openSale({ stock: 50, perUserLimit: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const a = await claim(saleId, `user-${i}`, 1);
      if (a.outcome === 'held') ids.push(a.orderId);
    }
    const [first, second] = await Promise.all([
      store.settleHolds(saleId, ids.slice(0, 10), ids.slice(10), freshIds(50)),
      store.settleHolds(saleId, ids.slice(0, 10), ids.slice(10), freshIds(50)),
    ]);
    assert.equal(first.sold + second.sold, 10);
    assert.equal(first.released + second.released, 40);
    assert.deepEqual((await store.snapshot(saleId))!.counts, { available: 40, held: 0, sold: 10 });
    await store.discardSale(saleId);
  });
});

describe('the marks a claim leaves', () => {
  test('an Idempotency-Key answers the first decision again and holds nothing more', async () => {
    const { saleId } = await openSale({ stock: 5 });
    const first = await claim(saleId, 'bea', 1, 'key-1');
    const again = await claim(saleId, 'bea', 1, 'key-1');
    assert.equal(first.outcome, 'held');
    assert.equal(again.outcome, 'held');
    if (first.outcome !== 'held' || again.outcome !== 'held') return;
    assert.equal(again.orderId, first.orderId);
    assert.equal(again.replayed, true);
    assert.equal(again.wake, false);
    assert.deepEqual((await store.snapshot(saleId))!.counts, { available: 4, held: 1, sold: 0 });
  });

  test('a proof-of-work solution works once', async () => {
    const { saleId } = await openSale({ stock: 5 });
    const solution = { mark: 'ab'.repeat(16), ttlMs: 60_000 };
    const first = await store.claim(saleId, {
      userId: 'bea',
      quantity: 1,
      orderId: randomUUID(),
      idempotencyKey: null,
      solution,
    });
    const second = await store.claim(saleId, {
      userId: 'bea',
      quantity: 1,
      orderId: randomUUID(),
      idempotencyKey: null,
      solution,
    });
    assert.equal(first.outcome, 'held');
    assert.equal(second.outcome === 'refused' && second.code, 'CHALLENGE_USED');
    assert.deepEqual((await store.snapshot(saleId))!.counts, { available: 4, held: 1, sold: 0 });
  });

  test('the end: closing only once Redis says so, then no claim and no waitlist', async () => {
    const { saleId } = await openSale({ stock: 2, endsAtMs: (await redisNowMs(redis)) + 60_000 });
    assert.equal((await store.moveTo(saleId, 'closed'))?.outcome, 'not_yet');
    assert.equal((await store.moveTo(saleId, 'cancelled'))?.outcome, 'moved');
    const after = await claim(saleId, 'bea', 1);
    assert.equal(after.outcome === 'refused' && after.code, 'SALE_NOT_OPEN');
    assert.equal((await store.moveTo(saleId, 'open'))?.outcome, 'final');
  });

  test('a cancel once every unit is sold: refused as sold_out, the phase unchanged; with a unit still held, it cancels', async () => {
    const { saleId } = await openSale({ stock: 2 });
    const first = await claim(saleId, 'bea', 1);
    const second = await claim(saleId, 'cy', 1);
    assert.ok(first.outcome === 'held' && second.outcome === 'held');
    await store.settleHolds(saleId, [first.orderId], [], []);
    // One unit held still: the seller may yet withdraw it.
    const whileHeld = await store.snapshot(saleId);
    assert.deepEqual(whileHeld!.counts, { available: 0, held: 1, sold: 1 });
    await store.settleHolds(saleId, [second.orderId], [], []);
    const before = (await store.snapshot(saleId))!;
    const move = await store.moveTo(saleId, 'cancelled');
    assert.deepEqual(move, { outcome: 'sold_out', phase: before.phase, endsAtMs: before.endsAtMs });
    assert.deepEqual(await store.snapshot(saleId), before);

    const { saleId: heldOne } = await openSale({ stock: 1 });
    const held = await claim(heldOne, 'bea', 1);
    assert.equal(held.outcome, 'held');
    assert.equal((await store.moveTo(heldOne, 'cancelled'))?.outcome, 'moved');
  });

  test('an unknown sale is missing, not an error', async () => {
    assert.deepEqual(await claim(randomUUID(), 'bea', 1), { outcome: 'missing' });
    assert.equal(await store.snapshot(randomUUID()), null);
  });
});
