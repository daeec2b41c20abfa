/** The promoter as pure functions: whom a firing picks, what a doubling does, who pays, and what a budget holds. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { emptyBook, withAcceptedBid, type BidderBook } from '../domain/bidder-book.js';
import type { AuctionRules, BiddingState } from '../domain/bidding.js';
import { increment } from '../domain/increments.js';
import { MAX_AMOUNT } from '../domain/money.js';
import { decideDoubling } from '../domain/promotions/doubling.js';
import { committedOf, costOf, type CommittedDoubling } from '../domain/promotions/firing.js';
import { durationMs, scheduleProblem } from '../domain/promotions/promotion.js';
import {
  chooseDoubling,
  SEED_MAX,
  STRATEGY_NAMES,
  type CandidateAuction,
  type CandidateBidder,
} from '../domain/promotions/strategies.js';
import { houseSubsidy, orderSubsidy, subsidyExposure } from '../domain/promotions/subsidy.js';
import { decideBid } from '../domain/proxy-bidding.js';
import { decideRetraction } from '../domain/retraction.js';
import { orderAmounts } from '../domain/settlement/amounts.js';

const NOW = 10_000_000;
const rules: AuctionRules = {
  sellerId: 'seller',
  startingPrice: 1_000,
  reservePrice: null,
  buyNowPrice: null,
  softCloseWindowMs: 0,
  softCloseExtendMs: 0,
};

function auctionAfter(bids: [string, number][], auctionRules = rules) {
  let state: BiddingState = {
    status: 'open',
    startsAtMs: NOW - 60_000,
    endsAtMs: NOW + 600_000,
    price: auctionRules.startingPrice,
    leaderId: null,
    leaderMax: null,
    seq: 0,
    bidCount: 0,
  };
  let book: BidderBook = emptyBook();
  bids.forEach(([bidderId, amount], i) => {
    const { decision, next } = decideBid(state, auctionRules, { bidderId, amount, buyNow: false, nowMs: NOW + i });
    if (decision.accepted)
      book = withAcceptedBid(book, bidderId, { max: amount, seq: next.seq, placedAtMs: NOW + i }).book;
    state = next;
  });
  return { state, book };
}

describe('doubling a maximum', () => {
  test('when a runner-up is doubled past the leader, then they lead at one increment above the old leader', () => {
    const { state, book } = auctionAfter([
      ['alice', 2_000],
      ['bob', 3_000],
    ]);
    const {
      decision,
      next,
      book: after,
    } = decideDoubling(state, rules, book, { bidderId: 'alice', expectedMax: 2_000, nowMs: NOW + 10 });
    assert.ok(decision.accepted);
    assert.deepEqual(
      [
        decision.fromMax,
        decision.toMax,
        decision.ownMax,
        next.leaderId,
        next.leaderMax,
        next.price,
        next.bidCount,
        next.seq,
      ],
      [2_000, 4_000, 2_000, 'alice', 4_000, 3_000 + increment(3_000), state.bidCount, state.seq + 1],
    );
    assert.equal(after.bidders.get('alice')?.promotedFrom, 2_000);
    assert.equal(next.endsAtMs, state.endsAtMs, 'not a bid: the end does not move');
  });

  test('when the leader is doubled, then they keep the lead and the price stays where the runner-up puts it', () => {
    const { state, book } = auctionAfter([
      ['alice', 2_000],
      ['bob', 3_000],
    ]);
    const { decision, next } = decideDoubling(state, rules, book, {
      bidderId: 'bob',
      expectedMax: 3_000,
      nowMs: NOW + 10,
    });
    assert.ok(decision.accepted);
    assert.deepEqual([next.leaderId, next.leaderMax, next.price], ['bob', 6_000, state.price]);
  });

  test('when the maximum moved, was doubled already, is gone, would pass the largest amount, or the auction is over, then nothing changes', () => {
    const { state, book } = auctionAfter([
      ['alice', 2_000],
      ['bob', 3_000],
      ['whale', MAX_AMOUNT - 10],
    ]);
    const refusal = (request: { bidderId: string; expectedMax: number; nowMs?: number }, s = state, b = book) => {
      const result = decideDoubling(s, rules, b, { nowMs: NOW + 10, ...request });
      assert.equal(result.next, s);
      assert.equal(result.book, b);
      return result.decision.accepted ? 'accepted' : result.decision.reason;
    };
    assert.equal(refusal({ bidderId: 'alice', expectedMax: 1_999 }), 'maximum_changed');
    assert.equal(refusal({ bidderId: 'carol', expectedMax: 2_000 }), 'no_live_maximum');
    assert.equal(refusal({ bidderId: 'whale', expectedMax: MAX_AMOUNT - 10 }), 'maximum_too_large');
    assert.equal(refusal({ bidderId: 'alice', expectedMax: 2_000, nowMs: NOW + 700_000 }), 'auction_not_open');
    const once = decideDoubling(state, rules, book, { bidderId: 'alice', expectedMax: 2_000, nowMs: NOW + 10 });
    assert.equal(refusal({ bidderId: 'alice', expectedMax: 4_000 }, once.next, once.book), 'already_doubled');
  });

  test('when the doubled bidder bids again or retracts, then the doubling is over and their own maximum is what counts', () => {
    const { state, book } = auctionAfter([
      ['alice', 2_000],
      ['bob', 3_000],
    ]);
    const doubled = decideDoubling(state, rules, book, { bidderId: 'bob', expectedMax: 3_000, nowMs: NOW + 10 });
    const raised = decideBid(doubled.next, rules, { bidderId: 'bob', amount: 7_000, buyNow: false, nowMs: NOW + 20 });
    assert.ok(raised.decision.accepted);
    const afterBid = withAcceptedBid(doubled.book, 'bob', { max: 7_000, seq: raised.next.seq, placedAtMs: NOW + 20 });
    assert.equal(afterBid.entry.promotedFrom, null);
    assert.equal(
      afterBid.entry.previous?.max,
      3_000,
      'taking that bid back leaves their own maximum, not the doubled one',
    );

    const retracted = decideRetraction(doubled.next, rules, doubled.book, {
      bidderId: 'bob',
      mode: 'void',
      nowMs: NOW + 20,
    });
    assert.ok(retracted.decision.accepted);
    assert.equal(retracted.book.bidders.get('bob')?.promotedFrom, null);
  });
});

describe('who pays', () => {
  test('the buyer never pays more than their own maximum would have cost them; the house pays the rest', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e12 }),
        fc.integer({ min: 1, max: 1e12 }),
        fc.integer({ min: 0, max: 5_000 }),
        (ownMax, hammer, bps) => {
          const subsidy = houseSubsidy(hammer, ownMax, bps);
          const charged = orderAmounts(hammer, bps).total;
          assert.ok(subsidy >= 0 && subsidy < charged);
          assert.ok(charged - subsidy <= orderAmounts(ownMax, bps).total);
          if (hammer <= ownMax) assert.equal(subsidy, 0);
          assert.ok(subsidy <= subsidyExposure(ownMax, Math.max(hammer, ownMax * 2), bps));
        },
      ),
    );
  });

  test('the order carries the subsidy of a doubling that stood, and names its firing; a superseded one pays nothing', () => {
    const doubling = { fromMax: 2_000, firingId: 'f-1', supersededAfter: false };
    assert.deepEqual(orderSubsidy(doubling, 3_000, 1_000), { houseSubsidy: 1_100, promotionFiringId: 'f-1' });
    assert.deepEqual(orderSubsidy(doubling, 1_500, 1_000), { houseSubsidy: 0, promotionFiringId: null });
    assert.deepEqual(orderSubsidy({ ...doubling, supersededAfter: true }, 3_000, 1_000), {
      houseSubsidy: 0,
      promotionFiringId: null,
    });
    assert.deepEqual(orderSubsidy(null, 3_000, 1_000), { houseSubsidy: 0, promotionFiringId: null });
  });
});

describe('the budget', () => {
  const doubling = (overrides: Partial<CommittedDoubling>): CommittedDoubling => ({
    firingId: 'f-1',
    exposure: 500,
    auctionStatus: 'open',
    auctionOutcome: null,
    order: null,
    ...overrides,
  });

  test('a doubling holds its worst case until its auction settles it: then the subsidy, or nothing', () => {
    assert.equal(costOf(doubling({})), 500);
    assert.equal(costOf(doubling({ auctionStatus: 'cancelled' })), 0);
    assert.equal(costOf(doubling({ auctionStatus: 'closed', auctionOutcome: 'unsold' })), 0);
    assert.equal(costOf(doubling({ auctionStatus: 'closed', auctionOutcome: 'sold' })), 500, 'the order is on its way');
    assert.equal(
      costOf(
        doubling({
          auctionStatus: 'closed',
          auctionOutcome: 'sold',
          order: { houseSubsidy: 120, promotionFiringId: 'f-1' },
        }),
      ),
      120,
    );
    assert.equal(
      costOf(
        doubling({
          auctionStatus: 'closed',
          auctionOutcome: 'sold',
          order: { houseSubsidy: 0, promotionFiringId: null },
        }),
      ),
      0,
    );
    assert.equal(committedOf([doubling({}), doubling({ firingId: 'f-2', exposure: 70 })]), 570);
  });
});

describe('choosing whom to double', () => {
  const bidder = (i: number): CandidateBidder => ({ bidderId: `b${i}`, alias: i, max: 1_000 * i });
  const candidatesArb = fc
    .uniqueArray(fc.uuid(), { minLength: 1, maxLength: 5 })
    .chain((ids) =>
      fc.tuple(
        ...ids.map((auctionId) =>
          fc
            .integer({ min: 0, max: 6 })
            .map((n) => ({ auctionId, bidders: Array.from({ length: n }, (_, i) => bidder(i + 1)) })),
        ),
      ),
    );

  test('the same seed, strategy and candidates, in any order, always choose the same; the choice is a candidate', () => {
    fc.assert(
      fc.property(
        candidatesArb,
        fc.integer({ min: 0, max: SEED_MAX }),
        fc.constantFrom(...STRATEGY_NAMES),
        (candidates, seed, strategy) => {
          const choice = chooseDoubling(candidates, strategy, seed);
          const shuffled: CandidateAuction[] = [...candidates]
            .reverse()
            .map((a) => ({ ...a, bidders: [...a.bidders].reverse() }));
          assert.deepEqual(chooseDoubling(shuffled, strategy, seed), choice);
          if (candidates.every((a) => a.bidders.length === 0)) return assert.equal(choice, null);
          const auction = candidates.find((a) => a.auctionId === choice?.auctionId);
          assert.ok(auction?.bidders.some((b) => b.bidderId === choice?.bidder.bidderId));
        },
      ),
    );
  });

  test('uniform picks each bidder about as often; newer_bidders picks the newest most and the first least', () => {
    const auction: CandidateAuction = { auctionId: 'a', bidders: [1, 2, 3, 4].map(bidder) };
    const counts = (strategy: (typeof STRATEGY_NAMES)[number]) => {
      const seen = new Map<number, number>();
      for (let seed = 0; seed < 4_000; seed++) {
        const alias = chooseDoubling([auction], strategy, seed)!.bidder.alias;
        seen.set(alias, (seen.get(alias) ?? 0) + 1);
      }
      return [1, 2, 3, 4].map((alias) => seen.get(alias) ?? 0);
    };
    // Expected 1,000 each; 1:2:3:4 of 4,000 is 400, 800, 1,200, 1,600. Bounds far outside chance.
    for (const n of counts('uniform')) assert.ok(n > 850 && n < 1_150, `uniform: ${n}`);
    const weighted = counts('newer_bidders');
    [400, 800, 1_200, 1_600].forEach((expected, i) =>
      assert.ok(Math.abs(weighted[i]! - expected) < 180, `newer_bidders: ${weighted.join(', ')}`),
    );
  });
});

describe('a schedule', () => {
  test('durations are ISO-8601 without years or months, every from a minute to a month, jitter at most every', () => {
    assert.equal(durationMs('PT1H30M'), 5_400_000);
    assert.equal(durationMs('P1DT2S'), 86_402_000);
    assert.equal(durationMs('P1W'), 604_800_000);
    for (const bad of ['P1M', 'P1Y', '-PT1H', '1h', '', 'PT']) assert.equal(durationMs(bad), null, bad);
    assert.equal(scheduleProblem('PT1H', 'PT5M'), null);
    assert.equal(scheduleProblem('PT1H', 'PT0S'), null);
    assert.match(scheduleProblem('PT30S', 'PT0S')!, /^every/);
    assert.match(scheduleProblem('P32D', 'PT0S')!, /^every/);
    assert.match(scheduleProblem('PT1H', 'PT2H')!, /^jitter/);
    assert.match(scheduleProblem('PT1H', 'soon')!, /^jitter/);
  });
});
