/**
 * The promoter's one move on an auction: the house doubles one bidder's live maximum and pays the
 * difference if that makes them win (subsidy.ts). The doubled maximum competes like any other, so the
 * leader and price are found again from the book (`standingOf`), as after a retraction: the result is
 * the same whatever order the maxima came in. Like a retraction it is not a bid: the bid count stays
 * and the end does not move. The bidder's own maximum is kept beside it (`promotedFrom`); their next
 * bid or a retraction replaces the doubled maximum. lua/double-maximum.lua applies the same rule
 * atomically on Redis time; test/lua-place-bid.test.ts requires both to agree.
 */
import { standingOf, type BidderBook, type BidderEntry } from '../bidder-book.js';
import type { AuctionRules, BiddingState, PublicBidState } from '../bidding.js';
import { MAX_AMOUNT } from '../money.js';
import { isOpenAt } from '../proxy-bidding.js';
import { publicBidState } from '../public-bid-state.js';

/** Why a doubling does not happen; the firing is recorded with it and commits nothing. */
export const DOUBLING_REFUSALS = [
  'auction_not_open',
  'no_live_maximum',
  // Once per maximum: a doubled maximum is not doubled again, so one doubling is all a budget answers for.
  'already_doubled',
  // The maximum the promoter chose changed (a bid, a retraction) between its choice and the script.
  'maximum_changed',
  // Twice the maximum would pass the largest amount the bidding engine takes.
  'maximum_too_large',
  // Only the script knows: the auction took bids before bidder books existed.
  'auction_predates_book',
] as const;
export type DoublingRefusal = (typeof DOUBLING_REFUSALS)[number];

export interface DoublingRequest {
  bidderId: string;
  /** The live maximum the promoter saw when it chose this bidder. */
  expectedMax: number;
  nowMs: number;
}

export type DoublingDecision =
  | (PublicBidState & {
      accepted: true;
      seq: number;
      /** The lucky bidder's alias, their maximum before and after, and their own maximum (what they pay at most). */
      alias: number;
      fromMax: number;
      toMax: number;
      ownMax: number;
    })
  | { accepted: false; reason: DoublingRefusal };

/** Decides one doubling. A refusal changes nothing. */
export function decideDoubling(
  state: BiddingState,
  rules: AuctionRules,
  book: BidderBook,
  request: DoublingRequest,
): { decision: DoublingDecision; next: BiddingState; book: BidderBook } {
  const refuse = (reason: DoublingRefusal) => ({ decision: { accepted: false as const, reason }, next: state, book });
  if (!isOpenAt(state, request.nowMs)) return refuse('auction_not_open');
  const entry = book.bidders.get(request.bidderId);
  if (!entry?.live) return refuse('no_live_maximum');
  if (entry.promotedFrom !== null) return refuse('already_doubled');
  if (entry.live.max !== request.expectedMax) return refuse('maximum_changed');
  const toMax = entry.live.max * 2;
  if (toMax > MAX_AMOUNT) return refuse('maximum_too_large');

  const ownMax = entry.live.max;
  // The seq and time stay the bid's: a tie is still decided by when the bid came, and a retraction's
  // time rule still reads the bid's time.
  const doubled: BidderEntry = { ...entry, live: { ...entry.live, max: toMax }, promotedFrom: ownMax };
  const bidders = new Map(book.bidders);
  bidders.set(request.bidderId, doubled);
  const nextBook: BidderBook = { aliasCount: book.aliasCount, bidders };
  const standing = standingOf(nextBook, rules);
  const next: BiddingState = {
    ...state,
    price: standing.price,
    leaderId: standing.leaderId,
    leaderMax: standing.leaderMax,
    seq: state.seq + 1,
  };
  return {
    decision: {
      ...publicBidState(next, rules),
      accepted: true,
      seq: next.seq,
      alias: entry.alias,
      fromMax: entry.live.max,
      toMax,
      ownMax,
    },
    next,
    book: nextBook,
  };
}
