/** The flash-sale rules (domain/sales/): the claim decision, the waitlist's release, the status, the expiry schedule. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { decideClaim, type ClaimState } from '../domain/sales/claim.js';
import { MIN_EXPIRY_RUN_GAP_MS, nextExpiryRunAtMs } from '../domain/sales/holds.js';
import { countsAreWhole, saleIsFinished, saleStatusAt } from '../domain/sales/sale.js';
import { releaseToWaitlist } from '../domain/sales/waitlist.js';

const NOW = Date.parse('2030-01-01T12:00:00Z');
const open = (overrides: Partial<ClaimState> = {}): ClaimState => ({
  phase: 'open',
  sellerId: 'seller',
  startsAtMs: NOW - 1000,
  endsAtMs: NOW + 60_000,
  perUserLimit: 2,
  buyerUnits: 0,
  available: 10,
  held: 0,
  sold: 0,
  ...overrides,
});

describe('decideClaim', () => {
  test('an open sale with units holds them', () => {
    assert.deepEqual(decideClaim(open(), 'bea', 2, NOW), { ok: true });
  });

  test('before the start, at the end, after a cancel or close: SALE_NOT_OPEN', () => {
    for (const state of [
      open({ startsAtMs: NOW + 1 }),
      open({ endsAtMs: NOW }),
      open({ phase: 'cancelled' }),
      open({ phase: 'closed' }),
    ]) {
      assert.deepEqual(decideClaim(state, 'bea', 1, NOW), { ok: false, code: 'SALE_NOT_OPEN' });
    }
  });

  test('no end: open until sold out or cancelled', () => {
    assert.deepEqual(decideClaim(open({ endsAtMs: null }), 'bea', 1, NOW + 10 ** 12), { ok: true });
  });

  test('the seller cannot buy', () => {
    assert.deepEqual(decideClaim(open(), 'seller', 1, NOW), { ok: false, code: 'SELLER_CANNOT_BUY' });
  });

  test('held and bought units count together against the limit', () => {
    assert.deepEqual(decideClaim(open({ buyerUnits: 1 }), 'bea', 2, NOW), { ok: false, code: 'LIMIT_REACHED' });
    assert.deepEqual(decideClaim(open({ buyerUnits: 1 }), 'bea', 1, NOW), { ok: true });
  });

  test('short of units: SOLD_OUT, with the waitlist open only while some are held', () => {
    assert.deepEqual(decideClaim(open({ available: 1, held: 3, sold: 6 }), 'bea', 2, NOW), {
      ok: false,
      code: 'SOLD_OUT',
      waitlistOpen: true,
    });
    assert.deepEqual(decideClaim(open({ available: 0, held: 0, sold: 10 }), 'bea', 1, NOW), {
      ok: false,
      code: 'SOLD_OUT',
      waitlistOpen: false,
    });
  });
});

describe('releaseToWaitlist', () => {
  test('serves in order, a head served in part keeps its place', () => {
    const r = releaseToWaitlist(
      3,
      [
        { userId: 'a', quantity: 2 },
        { userId: 'b', quantity: 2 },
      ],
      2,
      () => 0,
    );
    assert.deepEqual(r.served, [
      { userId: 'a', quantity: 2 },
      { userId: 'b', quantity: 1 },
    ]);
    assert.deepEqual(r.waiting, [{ userId: 'b', quantity: 1 }]);
    assert.equal(r.unclaimed, 0);
  });

  test('a buyer whose limit is used up leaves the list; leftovers go back', () => {
    const r = releaseToWaitlist(2, [{ userId: 'a', quantity: 1 }], 2, (u) => (u === 'a' ? 2 : 0));
    assert.deepEqual(r.served, []);
    assert.deepEqual(r.waiting, []);
    assert.equal(r.unclaimed, 2);
  });

  test('never hands out more than released, nor more than anyone may have', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.record({ userId: fc.constantFrom('a', 'b', 'c', 'd'), quantity: fc.integer({ min: 1, max: 3 }) }), {
          maxLength: 8,
        }),
        fc.integer({ min: 1, max: 4 }),
        (units, waiting, limit) => {
          const r = releaseToWaitlist(units, waiting, limit, () => 0);
          const given = r.served.reduce((sum, s) => sum + s.quantity, 0);
          assert.equal(given + r.unclaimed, units);
          const perUser = new Map<string, number>();
          for (const s of r.served) perUser.set(s.userId, (perUser.get(s.userId) ?? 0) + s.quantity);
          for (const total of perUser.values()) assert.ok(total <= limit);
        },
      ),
    );
  });
});

describe('saleStatusAt', () => {
  const window = { startsAtMs: NOW, endsAtMs: NOW + 1000 };
  test('the clock and the counts give the status', () => {
    assert.equal(saleStatusAt('scheduled', { available: 5 }, window, NOW - 1), 'scheduled');
    assert.equal(saleStatusAt('scheduled', { available: 5 }, window, NOW), 'open');
    assert.equal(saleStatusAt('open', { available: 0 }, window, NOW), 'sold_out');
    assert.equal(saleStatusAt('open', { available: 5 }, window, NOW + 1000), 'closed');
    assert.equal(saleStatusAt('cancelled', { available: 5 }, window, NOW), 'cancelled');
    assert.equal(saleStatusAt('open', { available: 5 }, { startsAtMs: NOW, endsAtMs: null }, NOW + 10 ** 9), 'open');
  });

  test('a sale is finished once nothing is held and no claim can take a unit', () => {
    assert.ok(saleIsFinished('open', { available: 0, held: 0, sold: 10 }), 'every unit sold');
    assert.ok(!saleIsFinished('open', { available: 0, held: 1, sold: 9 }), 'a hold may come back');
    assert.ok(!saleIsFinished('open', { available: 1, held: 0, sold: 9 }), 'a unit left to claim');
    assert.ok(!saleIsFinished('scheduled', { available: 10, held: 0, sold: 0 }));
    assert.ok(saleIsFinished('closed', { available: 4, held: 0, sold: 6 }), 'closed: what is left stays unsold');
    assert.ok(saleIsFinished('cancelled', { available: 10, held: 0, sold: 0 }));
    assert.ok(!saleIsFinished('cancelled', { available: 8, held: 2, sold: 0 }), 'holds still to end');
  });

  test('counts are whole only when they add up to the stock', () => {
    assert.ok(countsAreWhole(10, { available: 3, held: 2, sold: 5 }));
    assert.ok(!countsAreWhole(10, { available: 4, held: 2, sold: 5 }));
    assert.ok(!countsAreWhole(10, { available: -1, held: 6, sold: 5 }));
  });
});

describe('nextExpiryRunAtMs', () => {
  test('at the earliest expiry, but runs at least a gap apart', () => {
    assert.equal(nextExpiryRunAtMs(NOW, null), NOW);
    assert.equal(nextExpiryRunAtMs(NOW, NOW - 5000), NOW);
    assert.equal(nextExpiryRunAtMs(NOW, NOW - 200), NOW - 200 + MIN_EXPIRY_RUN_GAP_MS);
  });
});
