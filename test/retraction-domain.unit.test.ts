/** Retraction as pure functions: the bidder book, when a retraction may happen, and where it leaves the auction. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { emptyBook, leaderAliasOf, standingOf, withAcceptedBid, type BidderBook } from '../domain/bidder-book.js';
import type { AuctionRules, BiddingState } from '../domain/bidding.js';
import { decideBid, finalPriceOf } from '../domain/proxy-bidding.js';
import {
  FULL_RETRACTION_BEFORE_END_MS,
  LAST_BID_RETRACTION_WINDOW_MS,
  decideRetraction,
  mayRetractAgain,
} from '../domain/retraction.js';

const NOW = 10_000_000;
const rulesWith = (overrides: Partial<AuctionRules> = {}): AuctionRules => ({
  sellerId: 'seller',
  startingPrice: 1_000,
  reservePrice: null,
  buyNowPrice: null,
  softCloseWindowMs: 0,
  softCloseExtendMs: 0,
  ...overrides,
});

/** Bids in order (each at `NOW + i` ms), through decideBid and the book, as the bid script keeps them. */
function auctionAfter(rules: AuctionRules, bids: [string, number][], endsInMs = 600_000) {
  let state: BiddingState = {
    status: 'open',
    startsAtMs: NOW - 60_000,
    endsAtMs: NOW + endsInMs,
    price: rules.startingPrice,
    leaderId: null,
    leaderMax: null,
    seq: 0,
    bidCount: 0,
  };
  let book: BidderBook = emptyBook();
  bids.forEach(([bidderId, amount], i) => {
    const { decision, next } = decideBid(state, rules, { bidderId, amount, buyNow: false, nowMs: NOW + i });
    if (decision.accepted)
      book = withAcceptedBid(book, bidderId, { max: amount, seq: next.seq, placedAtMs: NOW + i }).book;
    state = next;
  });
  return { state, book };
}

describe('the bidder book', () => {
  test('aliases are 1, 2, 3… in the order of first bids, and a bidder keeps theirs', () => {
    const { state, book } = auctionAfter(rulesWith(), [
      ['b', 1_000],
      ['a', 2_000],
      ['b', 3_000],
      ['c', 5_000],
    ]);
    assert.deepEqual(
      [...book.bidders].map(([id, entry]) => [id, entry.alias, entry.bids]),
      [
        ['b', 1, 2],
        ['a', 2, 1],
        ['c', 3, 1],
      ],
    );
    assert.equal(leaderAliasOf(book, state), 3);
    assert.deepEqual(book.bidders.get('b')?.previous?.max, 1_000, 'the maximum before the last bid');
  });

  test('standingOf is the closed form of finalPriceOf over the live maxima', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 1, max: 1_000_000 })), {
          maxLength: 12,
        }),
        fc.option(fc.integer({ min: 1, max: 1_000_000 })),
        (maxima, reservePrice) => {
          const rules = rulesWith({ reservePrice });
          let book = emptyBook();
          const accepted = maxima.map(([bidderId, max], i) => ({ bidderId, max, seq: i + 1 }));
          // The book keeps each bidder's latest maximum; finalPriceOf their highest: give it rising maxima.
          const rising = accepted.filter((bid) =>
            accepted.every((other) => other.bidderId !== bid.bidderId || other.seq <= bid.seq || other.max > bid.max),
          );
          for (const bid of rising)
            book = withAcceptedBid(book, bid.bidderId, { max: bid.max, seq: bid.seq, placedAtMs: NOW }).book;
          const latest = [...book.bidders].map(([bidderId, entry]) => ({
            bidderId,
            max: entry.live!.max,
            seq: entry.live!.seq,
          }));
          const expected = finalPriceOf(latest, rules);
          const standing = standingOf(book, rules);
          assert.equal(standing.leaderId, expected.winnerId);
          assert.equal(standing.price, expected.price);
        },
      ),
    );
  });
});

describe('when a retraction may happen', () => {
  const rules = rulesWith();
  const bids: [string, number][] = [
    ['a', 5_000],
    ['b', 3_000],
  ];

  test('with 12 hours or more left it takes all of the bidder’s bids; with less only the last, within the hour', () => {
    const far = auctionAfter(rules, bids, FULL_RETRACTION_BEFORE_END_MS + 10);
    assert.equal(
      decideRetraction(far.state, rules, far.book, { bidderId: 'a', mode: 'retract', nowMs: NOW + 5 }).decision
        .accepted && 'all',
      'all',
    );
    const near = auctionAfter(rules, bids, FULL_RETRACTION_BEFORE_END_MS - 1);
    const soon = decideRetraction(near.state, rules, near.book, { bidderId: 'a', mode: 'retract', nowMs: NOW + 5 });
    assert.ok(soon.decision.accepted);
    assert.equal(soon.decision.scope, 'last');
    const late = decideRetraction(near.state, rules, near.book, {
      bidderId: 'a',
      mode: 'retract',
      nowMs: NOW + LAST_BID_RETRACTION_WINDOW_MS + 1,
    });
    assert.deepEqual(late.decision, { accepted: false, reason: 'last_bid_too_old' });
    const edge = decideRetraction(near.state, rules, near.book, {
      bidderId: 'a',
      mode: 'retract',
      nowMs: NOW + LAST_BID_RETRACTION_WINDOW_MS,
    });
    assert.ok(edge.decision.accepted, 'exactly an hour after the bid is still within the hour');
  });

  test('never after the close, never without a bid, once per auction; a void ignores both the time and the once', () => {
    const { state, book } = auctionAfter(rules, bids, FULL_RETRACTION_BEFORE_END_MS + 10);
    const closed = { ...state, status: 'closed' as const };
    assert.deepEqual(decideRetraction(closed, rules, book, { bidderId: 'a', mode: 'retract', nowMs: NOW }).decision, {
      accepted: false,
      reason: 'auction_not_open',
    });
    assert.deepEqual(decideRetraction(closed, rules, book, { bidderId: 'a', mode: 'void', nowMs: NOW }).decision, {
      accepted: false,
      reason: 'auction_not_open',
    });
    assert.deepEqual(decideRetraction(state, rules, book, { bidderId: 'z', mode: 'retract', nowMs: NOW }).decision, {
      accepted: false,
      reason: 'no_bids',
    });
    const once = decideRetraction(state, rules, book, { bidderId: 'b', mode: 'retract', nowMs: NOW });
    assert.ok(once.decision.accepted);
    // b bids again, then tries a second retraction.
    const again = decideBid(once.next, rules, { bidderId: 'b', amount: 6_000, buyNow: false, nowMs: NOW + 10 });
    const rebid = withAcceptedBid(once.book, 'b', { max: 6_000, seq: again.next.seq, placedAtMs: NOW + 10 }).book;
    assert.deepEqual(
      decideRetraction(again.next, rules, rebid, { bidderId: 'b', mode: 'retract', nowMs: NOW + 11 }).decision,
      {
        accepted: false,
        reason: 'already_retracted',
      },
    );
    const voided = decideRetraction(again.next, rules, rebid, { bidderId: 'b', mode: 'void', nowMs: NOW + 11 });
    assert.ok(voided.decision.accepted, 'an admin may void bids the bidder could no longer retract');
  });

  test('RETRACTIONS_TO_BLOCK: up to the limit a user may retract again; above it, not', () => {
    assert.equal(mayRetractAgain(3, 3), true);
    assert.equal(mayRetractAgain(4, 3), false);
    assert.equal(mayRetractAgain(0, 0), true);
    assert.equal(mayRetractAgain(1, 0), false);
  });
});

describe('where a retraction leaves the auction', () => {
  test('the leader retracts all: the second leads at the formula over the remaining maxima', () => {
    const rules = rulesWith();
    const { state, book } = auctionAfter(
      rules,
      [
        ['a', 9_000],
        ['b', 4_000],
        ['c', 6_000],
      ],
      FULL_RETRACTION_BEFORE_END_MS + 10,
    );
    assert.equal(state.leaderId, 'a');
    const { decision, next } = decideRetraction(state, rules, book, { bidderId: 'a', mode: 'retract', nowMs: NOW + 5 });
    assert.ok(decision.accepted);
    const expected = finalPriceOf(
      [
        { bidderId: 'b', max: 4_000, seq: 2 },
        { bidderId: 'c', max: 6_000, seq: 3 },
      ],
      rules,
    );
    assert.deepEqual([next.leaderId, next.price, next.leaderMax], [expected.winnerId, expected.price, 6_000]);
    assert.deepEqual([next.bidCount, next.seq, decision.scope, decision.alias], [2, 4, 'all', 1]);
  });

  test('the last bid only: the bidder’s maximum goes back to the one before it', () => {
    const rules = rulesWith();
    const { state, book } = auctionAfter(rules, [
      ['a', 2_000],
      ['b', 3_000],
      ['a', 9_000],
    ]);
    assert.equal(state.leaderId, 'a');
    const {
      decision,
      next,
      book: after,
    } = decideRetraction(state, rules, book, { bidderId: 'a', mode: 'retract', nowMs: NOW + 5 });
    assert.ok(decision.accepted);
    assert.equal(decision.scope, 'last');
    assert.equal(decision.lastSeq, 3);
    assert.deepEqual(after.bidders.get('a')?.live?.max, 2_000);
    // b's 3 000 against a's 2 000: b leads at 2 000 + 50.
    assert.deepEqual([next.leaderId, next.price, next.bidCount], ['b', 2_050, 2]);
  });

  test('the only bidder retracts: no leader, the starting price, and buy-now offered again', () => {
    const rules = rulesWith({ reservePrice: 4_000, buyNowPrice: 50_000 });
    const { state, book } = auctionAfter(rules, [['a', 5_000]], FULL_RETRACTION_BEFORE_END_MS + 10);
    assert.equal(state.price, 4_000, 'the reserve was met');
    const { decision, next } = decideRetraction(state, rules, book, { bidderId: 'a', mode: 'void', nowMs: NOW + 5 });
    assert.ok(decision.accepted);
    assert.deepEqual(
      [next.leaderId, next.leaderMax, next.price, next.bidCount, decision.reserveMet, decision.minimumNextBid],
      [null, null, 1_000, 0, false, 1_000],
    );
    const buyNow = decideBid(next, rules, { bidderId: 'b', amount: 50_000, buyNow: true, nowMs: NOW + 6 });
    assert.ok(buyNow.decision.accepted);
  });
});
