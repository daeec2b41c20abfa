/**
 * Every bidder's standing on one auction, beside the bidding state: their alias, their live maximum and
 * the maximum before their last bid. The bidding state keeps only the leader's maximum, which is all a
 * bid needs; a retraction needs the rest, because it takes one maximum away and the leader and price
 * must then be found again from those that remain (`standingOf`). lua/place-bid.lua keeps the same book
 * in Redis (auction:{id}:bidders); test/lua-place-bid.test.ts requires both to agree.
 */
import type { AuctionRules, BiddingState } from './bidding.js';
import { increment } from './increments.js';

/** One accepted maximum: the amount, and the seq and Redis time of the bid that set it. */
export interface Maximum {
  max: number;
  seq: number;
  placedAtMs: number;
}

export interface BidderEntry {
  /** The bidder's public number on this auction ("Bidder 7"): given at their first accepted bid, never changed. */
  alias: number;
  /** Null once every bid of theirs is retracted (until they bid again). */
  live: Maximum | null;
  /** The maximum before their last accepted bid: what a retraction of only that bid leaves. */
  previous: Maximum | null;
  /** Their accepted bids that count in the auction's bid count (retracted ones do not). */
  bids: number;
  /** They retracted on this auction already: once per auction. */
  retracted: boolean;
  /**
   * Their own maximum when the house doubled the live one (domain/promotions/doubling.ts), else null.
   * Their next bid or a retraction replaces the live maximum, and with it the doubling.
   */
  promotedFrom: number | null;
}

export interface BidderBook {
  /** The last alias given (aliases are 1, 2, 3… in the order of first bids). */
  aliasCount: number;
  bidders: ReadonlyMap<string, BidderEntry>;
}

export const emptyBook = (): BidderBook => ({ aliasCount: 0, bidders: new Map() });

/** The book after an accepted bid (any kind) at `seq`, of `amount`, the bidder's new maximum. */
export function withAcceptedBid(
  book: BidderBook,
  bidderId: string,
  bid: Maximum,
): { book: BidderBook; entry: BidderEntry } {
  const known = book.bidders.get(bidderId);
  const aliasCount = known ? book.aliasCount : book.aliasCount + 1;
  const entry: BidderEntry = {
    alias: known?.alias ?? aliasCount,
    live: bid,
    // A doubling ends with the bidder's own next bid: retracting that bid goes back to their own maximum.
    previous: known?.live ? { ...known.live, max: known.promotedFrom ?? known.live.max } : null,
    bids: (known?.bids ?? 0) + 1,
    retracted: known?.retracted ?? false,
    promotedFrom: null,
  };
  const bidders = new Map(book.bidders);
  bidders.set(bidderId, entry);
  return { book: { aliasCount, bidders }, entry };
}

export interface Standing {
  leaderId: string | null;
  leaderMax: number | null;
  price: number;
}

/**
 * Where proxy bidding stands over the live maxima, whatever order they came in: the top maximum leads
 * (a tie: the earlier seq) at one increment above the second, capped at its own maximum, never below the
 * starting price, and at least the reserve once the leader's maximum meets it. The same closed form as
 * finalPriceOf (domain/proxy-bidding.ts), over the book.
 */
export function standingOf(book: BidderBook, rules: Pick<AuctionRules, 'startingPrice' | 'reservePrice'>): Standing {
  let top: [string, Maximum] | null = null;
  let second: Maximum | null = null;
  const before = (a: Maximum, b: Maximum) => a.max > b.max || (a.max === b.max && a.seq < b.seq);
  for (const [bidderId, entry] of book.bidders) {
    const live = entry.live;
    if (live === null) continue;
    if (top === null || before(live, top[1])) {
      second = top?.[1] ?? null;
      top = [bidderId, live];
    } else if (second === null || before(live, second)) {
      second = live;
    }
  }
  if (top === null) return { leaderId: null, leaderMax: null, price: rules.startingPrice };
  const [leaderId, leader] = top;
  const competed =
    second === null
      ? rules.startingPrice
      : Math.min(leader.max, Math.max(rules.startingPrice, second.max + increment(second.max)));
  const met = rules.reservePrice !== null && leader.max >= rules.reservePrice;
  return { leaderId, leaderMax: leader.max, price: met ? Math.max(competed, rules.reservePrice!) : competed };
}

/** The alias of the bidder who leads, or null when no one does. */
export const leaderAliasOf = (book: BidderBook, state: Pick<BiddingState, 'leaderId'>): number | null =>
  state.leaderId === null ? null : (book.bidders.get(state.leaderId)?.alias ?? null);
