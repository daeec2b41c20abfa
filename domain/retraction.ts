/**
 * Taking bids back (docs/architecture.md, "Retraction"). A bidder may retract with eBay's rules: with 12
 * hours or more left, all of their bids on the auction go; with less, only their last bid, and only
 * within an hour of placing it; once per auction, and never after the close. An admin voids all of a
 * bidder's bids on an open auction, whatever the time. Either way the taken maximum leaves the book and
 * the leader and price are found again from the maxima that remain (`standingOf`), so the result is the
 * same whatever order the remaining bids came in. lua/retract-bid.lua applies the same rules atomically
 * on Redis time; test/lua-place-bid.test.ts requires both to agree.
 */
import { standingOf, type BidderBook, type BidderEntry } from './bidder-book.js';
import type { AuctionRules, BiddingState, PublicBidState } from './bidding.js';
import { isOpenAt } from './proxy-bidding.js';
import { publicBidState } from './public-bid-state.js';

export const RETRACTION_REASONS = ['wrong_amount', 'item_changed', 'seller_unreachable'] as const;
export type RetractionReason = (typeof RETRACTION_REASONS)[number];

/** Why a retraction is refused; each is a 409 RETRACTION_NOT_ALLOWED with this as its `reason`. */
export const RETRACTION_REFUSALS = [
  'auction_not_open',
  'no_bids',
  'already_retracted',
  'last_bid_too_old',
  // Decided by the API from the user's history, before the script runs.
  'too_many_retractions',
  // Only the script knows: the auction took bids before bidder books existed, so not every maximum is known.
  'auction_predates_book',
] as const;
export type RetractionRefusal = (typeof RETRACTION_REFUSALS)[number];

/** With at least this long left, a retraction takes all of the bidder's bids. */
export const FULL_RETRACTION_BEFORE_END_MS = 12 * 3_600_000;
/** With less left, only a bid placed this recently may be taken back. */
export const LAST_BID_RETRACTION_WINDOW_MS = 3_600_000;
/** How far back a user's retractions count towards RETRACTIONS_TO_BLOCK. */
export const RETRACTION_HISTORY_MS = 183 * 86_400_000;

/** 'retract': the bidder's own, under the rules above; 'void': an admin's, all bids, no time rule. */
export type RetractionMode = 'retract' | 'void';
/** 'all' of the bidder's bids, or only their 'last'. */
export type RetractionScope = 'all' | 'last';

/** What a retraction does or why it may not, before anything changes. */
export function retractionScope(
  state: BiddingState,
  entry: BidderEntry | undefined,
  mode: RetractionMode,
  nowMs: number,
): RetractionScope | RetractionRefusal {
  if (!isOpenAt(state, nowMs)) return 'auction_not_open';
  if (!entry?.live) return 'no_bids';
  if (mode === 'void') return 'all';
  if (entry.retracted) return 'already_retracted';
  if (state.endsAtMs - nowMs >= FULL_RETRACTION_BEFORE_END_MS) return 'all';
  return nowMs - entry.live.placedAtMs <= LAST_BID_RETRACTION_WINDOW_MS ? 'last' : 'last_bid_too_old';
}

/**
 * Whether a user who has retracted `pastRetractions` times in RETRACTION_HISTORY_MS may retract again.
 * `limit` is RETRACTIONS_TO_BLOCK: above it, no more.
 */
export const mayRetractAgain = (pastRetractions: number, limit: number): boolean => pastRetractions <= limit;

export interface RetractionRequest {
  bidderId: string;
  mode: RetractionMode;
  nowMs: number;
}

export type RetractionDecision =
  | (PublicBidState & {
      accepted: true;
      seq: number;
      scope: RetractionScope;
      /** The retracted bidder's alias. */
      alias: number;
      /** With scope 'last', the seq of the one bid taken back; with 'all', every bid of theirs before `seq`. */
      lastSeq: number;
    })
  | { accepted: false; reason: RetractionRefusal };

/** Decides one retraction. A refusal changes nothing. */
export function decideRetraction(
  state: BiddingState,
  rules: AuctionRules,
  book: BidderBook,
  request: RetractionRequest,
): { decision: RetractionDecision; next: BiddingState; book: BidderBook } {
  const entry = book.bidders.get(request.bidderId);
  const scope = retractionScope(state, entry, request.mode, request.nowMs);
  if (scope !== 'all' && scope !== 'last') return { decision: { accepted: false, reason: scope }, next: state, book };
  const taken = entry!;
  const remaining: BidderEntry = {
    alias: taken.alias,
    live: scope === 'all' ? null : taken.previous,
    previous: null,
    bids: scope === 'all' ? 0 : taken.bids - 1,
    // A void is the house's doing: it does not use up the bidder's own retraction.
    retracted: taken.retracted || request.mode === 'retract',
    promotedFrom: null,
  };
  const bidders = new Map(book.bidders);
  bidders.set(request.bidderId, remaining);
  const nextBook: BidderBook = { aliasCount: book.aliasCount, bidders };
  const standing = standingOf(nextBook, rules);
  const next: BiddingState = {
    ...state,
    price: standing.price,
    leaderId: standing.leaderId,
    leaderMax: standing.leaderMax,
    seq: state.seq + 1,
    bidCount: state.bidCount - (taken.bids - remaining.bids),
  };
  return {
    decision: {
      ...publicBidState(next, rules),
      accepted: true,
      seq: next.seq,
      scope,
      alias: taken.alias,
      lastSeq: taken.live!.seq,
    },
    next,
    book: nextBook,
  };
}
