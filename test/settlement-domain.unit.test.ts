import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { MAX_AMOUNT } from '../domain/money.js';
import { basisPointsOf, orderAmounts, sellerPayout } from '../domain/settlement/amounts.js';
import { checkoutExpiresAt } from '../domain/settlement/checkout.js';
import { secondChanceCandidates } from '../domain/settlement/offer.js';
import { dueReminders, nextReminderAt, reminderTimes } from '../domain/settlement/reminders.js';
import { blockedUntilMs } from '../domain/settlement/strikes.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('buyer premium and seller fee: basis points, rounded half up to a whole minor unit', () => {
  test('examples', () => {
    assert.equal(basisPointsOf(10_000, 1500), 1500);
    assert.equal(basisPointsOf(1005, 250), 25); // 25.125
    assert.equal(basisPointsOf(1002, 2500), 251); // 250.5 → up
    assert.equal(basisPointsOf(1, 4999), 0); // 0.4999
    assert.equal(basisPointsOf(1, 5000), 1); // 0.5 → up
    assert.equal(basisPointsOf(123, 0), 0);
  });

  test('exact for amounts up to the largest bid, where amount × bps passes 2^53', () => {
    assert.equal(basisPointsOf(MAX_AMOUNT, 5000), MAX_AMOUNT / 2);
    assert.equal(basisPointsOf(MAX_AMOUNT - 1, 5000), MAX_AMOUNT / 2); // …999.5 rounds up
    assert.equal(basisPointsOf(9_007_199_254_740_991, 1), 900_719_925_474); // 900,719,925,474.0991
  });

  test('never off by more than half a minor unit, and integer (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_AMOUNT }), fc.integer({ min: 0, max: 10_000 }), (amount, bps) => {
        const got = basisPointsOf(amount, bps);
        assert.ok(Number.isSafeInteger(got));
        const exactTimes10k = BigInt(amount) * BigInt(bps);
        const diff = BigInt(got) * 10_000n - exactTimes10k; // in 1/10,000 of a minor unit
        assert.ok(diff > -5000n && diff <= 5000n, `${amount} × ${bps} bp gave ${got}`);
      }),
    );
  });

  test('an order totals hammer + premium; the payout is hammer − fee', () => {
    assert.deepEqual(orderAmounts(12_345, 1250), { hammerPrice: 12_345, buyersPremium: 1543, total: 13_888 });
    assert.deepEqual(sellerPayout(12_345, 1000), { sellerFee: 1235, amount: 11_110 }); // 1234.5 → 1235
  });

  test('refuses what is not money', () => {
    assert.throws(() => basisPointsOf(1.5, 100), RangeError);
    assert.throws(() => basisPointsOf(-1, 100), RangeError);
    assert.throws(() => basisPointsOf(100, 10_001), RangeError);
  });
});

describe('payment reminders: at half the window and 24 h before payBy, where they fit', () => {
  const t0 = Date.parse('2026-12-01T00:00:00Z');

  test('a 3-day window: at 36 h and at 48 h', () => {
    assert.deepEqual(reminderTimes(t0, t0 + 3 * DAY), [t0 + 36 * HOUR, t0 + 48 * HOUR]);
  });

  test('a 48-hour window: both moments are one, said once', () => {
    assert.deepEqual(reminderTimes(t0, t0 + 2 * DAY), [t0 + DAY]);
  });

  test('a 1-hour window: only half-way (24 h before is before the order)', () => {
    assert.deepEqual(reminderTimes(t0, t0 + HOUR), [t0 + HOUR / 2]);
  });

  test('an extended payBy moves the day-before reminder, and a sent one is not sent again', () => {
    const times = reminderTimes(t0, t0 + 5 * DAY);
    assert.deepEqual(times, [t0 + 2.5 * DAY, t0 + 4 * DAY]);
    assert.deepEqual(dueReminders(times, t0 + 4 * DAY, [t0 + 2.5 * DAY]), [t0 + 4 * DAY]);
    assert.equal(nextReminderAt(times, [t0 + 2.5 * DAY]), t0 + 4 * DAY);
    assert.equal(nextReminderAt(times, times), null);
  });
});

describe('second chance: the next distinct bidder by maximum, ties to the earlier seq', () => {
  test('each bidder at their best maximum; the winner and those already asked are left out', () => {
    const bids = [
      { bidderId: 'a', maxAmount: 100, seq: 1 },
      { bidderId: 'b', maxAmount: 150, seq: 2 },
      { bidderId: 'a', maxAmount: 180, seq: 3 },
      { bidderId: 'c', maxAmount: 180, seq: 4 },
      { bidderId: 'w', maxAmount: 500, seq: 5 },
    ];
    assert.deepEqual(secondChanceCandidates(bids, new Set(['w'])), [
      { bidderId: 'a', amount: 180 },
      { bidderId: 'c', amount: 180 },
      { bidderId: 'b', amount: 150 },
    ]);
    assert.deepEqual(secondChanceCandidates(bids, new Set(['w', 'a'])), [
      { bidderId: 'c', amount: 180 },
      { bidderId: 'b', amount: 150 },
    ]);
    assert.deepEqual(secondChanceCandidates(bids, new Set(['w', 'a', 'b', 'c'])), []);
  });

  test('a bidder who reached the same maximum twice counts from the first time', () => {
    const bids = [
      { bidderId: 'c', maxAmount: 200, seq: 2 },
      { bidderId: 'a', maxAmount: 200, seq: 5 },
      { bidderId: 'a', maxAmount: 200, seq: 1 },
    ];
    assert.equal(secondChanceCandidates(bids, new Set())[0]!.bidderId, 'a');
  });
});

describe('unpaid strikes: 2 within 90 days block bidding until the older one ages out', () => {
  const policy = { toBlock: 2, windowDays: 90 };
  const now = Date.parse('2026-12-04T00:00:00Z');

  test('one strike does not block; two do, until the older leaves the window', () => {
    assert.equal(blockedUntilMs([now - DAY], policy, now), null);
    assert.equal(blockedUntilMs([now - DAY, now - 10 * DAY], policy, now), now - 10 * DAY + 90 * DAY);
    assert.equal(blockedUntilMs([now - DAY, now - 91 * DAY], policy, now), null);
  });

  test('with three, the block lasts until the second most recent ages out', () => {
    assert.equal(blockedUntilMs([now - 80 * DAY, now - DAY, now - 5 * DAY], policy, now), now - 5 * DAY + 90 * DAY);
  });
});

describe('checkout expiry: payBy, clamped to Stripe’s 30 min – 24 h', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  test('within range: payBy itself', () => {
    assert.equal(checkoutExpiresAt(now + 5 * HOUR, now), (now + 5 * HOUR) / 1000);
  });
  test('payBy days away: just under 24 h', () => {
    const at = checkoutExpiresAt(now + 3 * DAY, now) * 1000;
    assert.ok(at < now + DAY && at > now + DAY - 2 * 60_000);
  });
  test('payBy in 10 minutes or past: just over 30 min (a late payment is refunded)', () => {
    for (const payBy of [now + 10 * 60_000, now - HOUR]) {
      const at = checkoutExpiresAt(payBy, now) * 1000;
      assert.ok(at > now + 30 * 60_000 && at < now + 32 * 60_000);
    }
  });
});
