/** The bidding rules as pure functions: increments, proxy bidding, reserve, buy-now, soft close, the clock. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { AuctionRules, BidDecision, BiddingState } from '../domain/bidding.js';
import { INCREMENT_TABLE, increment, minimumNextBid } from '../domain/increments.js';
import { MAX_AMOUNT, isValidAmount } from '../domain/money.js';
import { decideBid, finalPriceOf, type AcceptedMax } from '../domain/proxy-bidding.js';

const NOW = 1_000_000;
const SELLER = 'seller';

const rulesWith = (overrides: Partial<AuctionRules> = {}): AuctionRules => ({
  sellerId: SELLER,
  startingPrice: 1000,
  reservePrice: null,
  buyNowPrice: null,
  softCloseWindowMs: 0,
  softCloseExtendMs: 0,
  ...overrides,
});

const freshState = (rules: AuctionRules, overrides: Partial<BiddingState> = {}): BiddingState => ({
  status: 'open',
  startsAtMs: NOW - 60_000,
  endsAtMs: NOW + 600_000,
  price: rules.startingPrice,
  leaderId: null,
  leaderMax: null,
  seq: 0,
  bidCount: 0,
  ...overrides,
});

/** Feeds bids in order; returns every decision and the last state. */
function run(rules: AuctionRules, bids: [bidderId: string, amount: number][], state = freshState(rules)) {
  const decisions: BidDecision[] = [];
  for (const [bidderId, amount] of bids) {
    const { decision, next } = decideBid(state, rules, { bidderId, amount, buyNow: false, nowMs: NOW });
    decisions.push(decision);
    state = next;
  }
  return { decisions, state, last: decisions[decisions.length - 1]! };
}

function assertAccepted(decision: BidDecision): asserts decision is BidDecision & { accepted: true } {
  assert.equal(decision.accepted, true, `rejected: ${JSON.stringify(decision)}`);
}

describe('money and increments', () => {
  test('amounts are safe positive integers up to MAX_AMOUNT', () => {
    for (const good of [1, 12_345, MAX_AMOUNT]) assert.equal(isValidAmount(good), true, String(good));
    for (const bad of [0, -1, 1.5, MAX_AMOUNT + 1, Number.NaN, Infinity]) assert.equal(isValidAmount(bad), false);
  });

  test('the increment on each side of every boundary of the table is the one docs/architecture.md lists', () => {
    const expected: [price: number, step: number][] = [
      [0, 5], [99, 5], [100, 25], [499, 25], [500, 50], [2_499, 50], [2_500, 100], [9_999, 100],
      [10_000, 250], [24_999, 250], [25_000, 500], [49_999, 500], [50_000, 1_000], [99_999, 1_000],
      [100_000, 2_500], [249_999, 2_500], [250_000, 5_000], [499_999, 5_000], [500_000, 10_000],
      [MAX_AMOUNT, 10_000],
    ]; // prettier-ignore
    for (const [price, step] of expected) assert.equal(increment(price), step, `increment(${price})`);
    // The data itself has every bound, in order, and ends unbounded.
    const bounds = INCREMENT_TABLE.map((row) => row.below);
    assert.deepEqual(bounds, [100, 500, 2_500, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, null]);
  });

  test('the minimum next bid is the starting price before any bid, then the price plus one increment', () => {
    const rules = rulesWith({ startingPrice: 2_000 });
    assert.equal(minimumNextBid(freshState(rules), rules), 2_000);
    assert.equal(minimumNextBid({ price: 2_000, bidCount: 1 }, rules), 2_050);
    assert.equal(minimumNextBid({ price: 2_499, bidCount: 3 }, rules), 2_549);
  });
});

describe('proxy bidding', () => {
  const rules = rulesWith();

  test('a first bid at or above the starting price leads at the starting price', () => {
    const { last, state } = run(rules, [['a', 5_000]]);
    assertAccepted(last);
    assert.deepEqual(
      { seq: last.seq, kind: last.kind, leading: last.leading, price: last.price, leaderId: last.leaderId },
      { seq: 1, kind: 'bid', leading: true, price: 1_000, leaderId: 'a' },
    );
    assert.equal(last.minimumNextBid, 1_050);
    assert.deepEqual({ leaderMax: state.leaderMax, bidCount: state.bidCount }, { leaderMax: 5_000, bidCount: 1 });
    assertAccepted(run(rules, [['a', 1_000]]).last);
  });

  test('a first bid below the starting price is too low and changes nothing', () => {
    const state = freshState(rules);
    const { decision, next } = decideBid(state, rules, { bidderId: 'a', amount: 999, buyNow: false, nowMs: NOW });
    assert.deepEqual(decision, {
      accepted: false,
      code: 'BID_TOO_LOW',
      price: 1_000,
      leaderId: null,
      minimumNextBid: 1_000,
      endsAtMs: state.endsAtMs,
      bidCount: 0,
      reserveMet: true,
      status: 'open',
    });
    assert.equal(next, state);
  });

  test('a challenger above the leader leads at one increment above the leader, capped at their own maximum', () => {
    const { last, state } = run(rules, [
      ['a', 5_000],
      ['b', 8_000],
    ]);
    assertAccepted(last);
    assert.deepEqual([last.leaderId, last.price, last.leading, last.seq], ['b', 5_100, true, 2]);
    assert.equal(state.leaderMax, 8_000);
    const capped = run(rules, [
      ['a', 5_000],
      ['b', 5_050],
    ]).last;
    assert.deepEqual([capped.leaderId, capped.price], ['b', 5_050]);
  });

  test('a challenger below the leader is accepted (with a seq) but the leader stays, one increment above', () => {
    const { last, state } = run(rules, [
      ['a', 5_000],
      ['b', 3_000],
    ]);
    assertAccepted(last);
    assert.deepEqual([last.leaderId, last.price, last.leading, last.seq, last.bidCount], ['a', 3_100, false, 2, 2]);
    assert.equal(state.leaderMax, 5_000);
    const capped = run(rules, [
      ['a', 5_000],
      ['b', 4_990],
    ]).last;
    assert.deepEqual([capped.leaderId, capped.price], ['a', 5_000]);
  });

  test('a challenger equal to the leader leaves the earlier bid leading at that maximum', () => {
    const { last } = run(rules, [
      ['a', 5_000],
      ['b', 5_000],
    ]);
    assertAccepted(last);
    assert.deepEqual([last.leaderId, last.price, last.leading], ['a', 5_000, false]);
  });

  test('a challenger below the minimum next bid is too low, and is told the minimum', () => {
    const { last, state } = run(rules, [
      ['a', 5_000],
      ['b', 3_000],
      ['c', 3_199],
    ]);
    assert.deepEqual([last.accepted, last.accepted ? null : last.code], [false, 'BID_TOO_LOW']);
    assert.equal(last.minimumNextBid, 3_200);
    assert.equal(state.seq, 2);
    assertAccepted(
      run(rules, [
        ['a', 5_000],
        ['b', 3_000],
        ['c', 3_200],
      ]).last,
    );
  });

  test('the leader may raise their maximum without moving the price, but not lower or repeat it', () => {
    const { last, state } = run(rules, [
      ['a', 5_000],
      ['b', 3_000],
      ['a', 9_000],
    ]);
    assertAccepted(last);
    assert.deepEqual([last.kind, last.price, last.leading, last.seq], ['raise', 3_100, true, 3]);
    assert.equal(state.leaderMax, 9_000);
    for (const amount of [9_000, 8_000]) {
      const again = decideBid(state, rules, { bidderId: 'a', amount, buyNow: false, nowMs: NOW });
      assert.deepEqual([again.decision.accepted, again.next], [false, state]);
    }
  });
});

describe('reserve', () => {
  const rules = rulesWith({ reservePrice: 7_777 });

  test('below the reserve the price stays low, and nothing in the answer reveals the reserve', () => {
    const { decisions, state } = run(rules, [
      ['a', 5_000],
      ['b', 7_000],
    ]);
    for (const decision of decisions) {
      assert.equal(decision.reserveMet, false);
      const shown = JSON.stringify(decision);
      assert.ok(!shown.includes('7777'), shown);
      assert.deepEqual(
        Object.keys(decision).filter((key) => /reserve/i.test(key)),
        ['reserveMet'],
      );
    }
    assert.equal(state.price, 5_100);
  });

  test('once the leader would pay the reserve, the price jumps to it (by a raise or by a challenger)', () => {
    const raised = run(rules, [
      ['a', 5_000],
      ['a', 8_000],
    ]).last;
    assert.deepEqual([raised.price, raised.reserveMet], [7_777, true]);
    const challenged = run(rules, [
      ['a', 5_000],
      ['b', 9_000],
    ]).last;
    assert.deepEqual([challenged.leaderId, challenged.price, challenged.reserveMet], ['b', 7_777, true]);
    const beyond = run(rules, [
      ['a', 8_000],
      ['b', 7_900],
    ]).last;
    assert.deepEqual([beyond.leaderId, beyond.price], ['a', 8_000]);
  });

  test('without a reserve, the reserve counts as met even before the first bid', () => {
    const plain = rulesWith();
    assert.equal(run(plain, [['a', 1]]).last.reserveMet, true);
  });
});

describe('buy-now', () => {
  const rules = rulesWith({ buyNowPrice: 50_000, softCloseWindowMs: 3_600_000, softCloseExtendMs: 3_600_000 });
  const buyNow = (state: BiddingState, amount = 50_000, bidderId = 'a') =>
    decideBid(state, rules, { bidderId, amount, buyNow: true, nowMs: NOW });

  test('before the first bid, at exactly the buy-now price, wins and closes the auction at once', () => {
    const { decision, next } = buyNow(freshState(rules));
    assertAccepted(decision);
    assert.deepEqual(
      [decision.kind, decision.price, decision.leaderId, decision.status, decision.endsAtMs, decision.extended],
      ['buy_now', 50_000, 'a', 'closed', NOW, false],
    );
    assert.deepEqual([next.leaderMax, next.seq, next.bidCount], [50_000, 1, 1]);
    const later = decideBid(next, rules, { bidderId: 'b', amount: 90_000, buyNow: false, nowMs: NOW });
    assert.equal(later.decision.accepted ? null : later.decision.code, 'AUCTION_NOT_OPEN');
  });

  test('is unavailable after the first bid, at another amount, and on an auction without one', () => {
    const afterBid = run(rules, [['b', 2_000]]).state;
    for (const { decision, next } of [
      buyNow(afterBid),
      buyNow(freshState(rules), 49_999),
      buyNow(freshState(rules), 50_001),
      decideBid(freshState(rulesWith()), rulesWith(), { bidderId: 'a', amount: 50_000, buyNow: true, nowMs: NOW }),
    ]) {
      assert.equal(decision.accepted ? null : decision.code, 'BUY_NOW_UNAVAILABLE');
      assert.equal(next.status, 'open');
    }
  });
});

describe('soft close', () => {
  const rules = rulesWith({ softCloseWindowMs: 60_000, softCloseExtendMs: 120_000 });
  const at = (state: BiddingState, nowMs: number, amount = 5_000) =>
    decideBid(state, rules, { bidderId: 'a', amount, buyNow: false, nowMs });

  test('a bid inside the window moves the end to now + extend', () => {
    const state = freshState(rules, { endsAtMs: NOW + 30_000 });
    const { decision } = at(state, NOW);
    assertAccepted(decision);
    assert.deepEqual([decision.endsAtMs, decision.extended], [NOW + 120_000, true]);
  });

  test('a bid outside the window, or exactly at its edge, leaves the end alone', () => {
    for (const remaining of [100_000, 60_000]) {
      const { decision } = at(freshState(rules, { endsAtMs: NOW + remaining }), NOW);
      assertAccepted(decision);
      assert.deepEqual([decision.endsAtMs, decision.extended], [NOW + remaining, false]);
    }
  });

  test('never shortens the auction', () => {
    const short = rulesWith({ softCloseWindowMs: 60_000, softCloseExtendMs: 10_000 });
    const state = freshState(short, { endsAtMs: NOW + 30_000 });
    const { decision } = decideBid(state, short, { bidderId: 'a', amount: 5_000, buyNow: false, nowMs: NOW });
    assertAccepted(decision);
    assert.deepEqual([decision.endsAtMs, decision.extended], [NOW + 30_000, false]);
  });

  test('a rejected bid inside the window moves nothing', () => {
    const state = freshState(rules, { endsAtMs: NOW + 30_000 });
    const { decision, next } = at(state, NOW, 1);
    assert.deepEqual([decision.accepted, decision.endsAtMs, next], [false, NOW + 30_000, state]);
  });
});

describe('when bids are taken', () => {
  const rules = rulesWith();
  const at = (state: BiddingState, nowMs: number, bidderId = 'a') =>
    decideBid(state, rules, { bidderId, amount: 5_000, buyNow: false, nowMs });
  const codeOf = ({ decision }: { decision: BidDecision }) => (decision.accepted ? 'accepted' : decision.code);
  const scheduled = freshState(rules, { status: 'scheduled', startsAtMs: NOW, endsAtMs: NOW + 10_000 });

  test('not before the start, not at or after the end, never when closed or cancelled', () => {
    assert.equal(codeOf(at(scheduled, NOW - 1)), 'AUCTION_NOT_OPEN');
    assert.equal(codeOf(at(scheduled, NOW + 10_000)), 'AUCTION_NOT_OPEN');
    assert.equal(codeOf(at(scheduled, NOW + 20_000)), 'AUCTION_NOT_OPEN');
    assert.equal(codeOf(at(scheduled, NOW + 9_999)), 'accepted');
    for (const status of ['closed', 'cancelled'] as const) {
      assert.equal(codeOf(at(freshState(rules, { status }), NOW)), 'AUCTION_NOT_OPEN');
    }
  });

  test('a bid accepted on a scheduled auction past its start opens it', () => {
    const { decision, next } = at(scheduled, NOW);
    assert.deepEqual([decision.status, next.status], ['open', 'open']);
  });

  test('the seller cannot bid on their own auction, which is checked after whether it is open', () => {
    assert.equal(codeOf(at(freshState(rules), NOW, SELLER)), 'SELLER_CANNOT_BID');
    assert.equal(codeOf(at(freshState(rules, { status: 'closed' }), NOW, SELLER)), 'AUCTION_NOT_OPEN');
  });
});

describe('the final price formula', () => {
  test('takes the top maximum at one increment above the second, each bidder counted once', () => {
    const rules = { startingPrice: 1_000, reservePrice: null };
    assert.deepEqual(finalPriceOf([], rules), { winnerId: null, price: 1_000, reserveMet: true });
    assert.deepEqual(finalPriceOf([{ bidderId: 'a', max: 5_000, seq: 1 }], rules), {
      winnerId: 'a',
      price: 1_000,
      reserveMet: true,
    });
    const maxima = [
      { bidderId: 'a', max: 5_000, seq: 1 },
      { bidderId: 'b', max: 3_000, seq: 2 },
      { bidderId: 'b', max: 4_000, seq: 3 },
      { bidderId: 'c', max: 5_000, seq: 4 },
    ];
    assert.deepEqual(finalPriceOf(maxima, rules), { winnerId: 'a', price: 5_000, reserveMet: true });
    assert.deepEqual(finalPriceOf(maxima.slice(0, 3), rules), { winnerId: 'a', price: 4_100, reserveMet: true });
    // Answers arrive in any order: each bidder counts with their highest maximum, wherever it is listed.
    assert.deepEqual(finalPriceOf([...maxima].reverse(), rules), finalPriceOf(maxima, rules));
    assert.deepEqual(finalPriceOf([maxima[2]!, maxima[1]!, maxima[0]!], rules).price, 4_100);
    assert.deepEqual(finalPriceOf(maxima, { startingPrice: 1_000, reservePrice: 6_000 }), {
      winnerId: 'a',
      price: 5_000,
      reserveMet: false,
    });
  });

  test('the documented exception: a raise after the price was capped at the old maximum keeps the price', () => {
    const rules = rulesWith();
    const { state } = run(rules, [
      ['a', 5_000],
      ['b', 4_990],
      ['a', 9_000],
    ]);
    assert.equal(state.price, 5_000);
    const formula = finalPriceOf(
      [
        { bidderId: 'a', max: 5_000, seq: 1 },
        { bidderId: 'b', max: 4_990, seq: 2 },
        { bidderId: 'a', max: 9_000, seq: 3 },
      ],
      rules,
    );
    assert.equal(formula.price, 5_090);
  });

  test('equals the end of bidding for any order of bids, when leaders do not raise their own maximum', () => {
    const bidders = ['a', 'b', 'c', 'd', 'e', 'f'];
    fc.assert(
      fc.property(
        fc.record({
          startingPrice: fc.integer({ min: 1, max: 20_000 }),
          reservePrice: fc.option(fc.integer({ min: 1, max: 80_000 })),
        }),
        fc.array(fc.tuple(fc.constantFrom(...bidders), fc.integer({ min: 1, max: 60_000 })), { maxLength: 40 }),
        ({ startingPrice, reservePrice }, requests) => {
          const rules = rulesWith({ startingPrice, reservePrice });
          let state = freshState(rules);
          const accepted: AcceptedMax[] = [];
          for (const [bidderId, amount] of requests) {
            if (bidderId === state.leaderId) continue; // a raise: the formula's one exception
            const { decision, next } = decideBid(state, rules, { bidderId, amount, buyNow: false, nowMs: NOW });
            if (decision.accepted) accepted.push({ bidderId, max: amount, seq: decision.seq });
            state = next;
          }
          const formula = finalPriceOf(accepted, rules);
          assert.deepEqual(formula, {
            winnerId: state.leaderId,
            price: state.price,
            reserveMet: reservePrice === null || (state.leaderMax ?? 0) >= reservePrice,
          });
        },
      ),
      { numRuns: 2_000 },
    );
  });

  test('for any permutation of the same maxima (one per bidder), the formula over what was accepted is the end', () => {
    const maximaArb = fc
      .array(fc.integer({ min: 1, max: 60_000 }), { minLength: 1, maxLength: 6 })
      .map((maxima) => maxima.map((max, i) => ({ bidderId: `bidder${i}`, max })));
    const permutationsArb = maximaArb.chain((maxima) =>
      fc.tuple(
        fc.shuffledSubarray(maxima, { minLength: maxima.length }),
        fc.shuffledSubarray(maxima, { minLength: maxima.length }),
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.option(fc.integer({ min: 1, max: 80_000 })),
        permutationsArb,
        (startingPrice, reservePrice, orders) => {
          const rules = rulesWith({ startingPrice, reservePrice });
          const ends = orders.map((order) => {
            const { decisions, state } = run(
              rules,
              order.map(({ bidderId, max }) => [bidderId, max]),
            );
            const accepted = decisions.flatMap((decision, i) =>
              decision.accepted ? [{ ...order[i]!, seq: decision.seq }] : [],
            );
            const formula = finalPriceOf(accepted, rules);
            assert.deepEqual([formula.winnerId, formula.price], [state.leaderId, state.price]);
            return { everyBidAccepted: accepted.length === order.length, formula };
          });
          // Where both orders accepted every bid, they were the same maxima: the same price, whatever the order.
          if (ends.every((end) => end.everyBidAccepted)) assert.equal(ends[0]!.formula.price, ends[1]!.formula.price);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
