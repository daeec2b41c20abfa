/**
 * The bidding rules as a pure function (docs/architecture.md, "Proxy bidding"). lua/place-bid.lua applies the
 * same rules atomically in Redis; test/lua-place-bid.test.ts requires both to agree step by step, so a
 * change here must be made there too.
 */
import type { BidKind } from './auction-status.js';
import type { AuctionRules, BidDecision, BidRejection, BidRequest, BiddingState } from './bidding.js';
import { increment } from './increments.js';
import { publicBidState } from './public-bid-state.js';

/** Who leads and at what price once a bid is accepted, before the reserve rule and the clock. */
interface Standing {
  price: number;
  leaderId: string;
  leaderMax: number;
  kind: BidKind;
}

/** Bids are taken from the start up to (not at) the end, unless the auction is already over. */
export const isOpenAt = (state: BiddingState, nowMs: number): boolean =>
  (state.status === 'scheduled' || state.status === 'open') && state.startsAtMs <= nowMs && nowMs < state.endsAtMs;

function standingAfter(state: BiddingState, rules: AuctionRules, request: BidRequest): Standing | BidRejection {
  const { bidderId, amount } = request;
  if (request.buyNow) {
    const available = state.bidCount === 0 && rules.buyNowPrice !== null && amount === rules.buyNowPrice;
    return available
      ? { price: amount, leaderId: bidderId, leaderMax: amount, kind: 'buy_now' }
      : 'BUY_NOW_UNAVAILABLE';
  }
  if (state.leaderId === null || state.leaderMax === null) {
    if (amount < rules.startingPrice) return 'BID_TOO_LOW';
    return { price: rules.startingPrice, leaderId: bidderId, leaderMax: amount, kind: 'bid' };
  }
  if (bidderId === state.leaderId) {
    // Raising one's own maximum never raises one's own price (only the reserve rule may).
    if (amount <= state.leaderMax) return 'BID_TOO_LOW';
    return { price: state.price, leaderId: bidderId, leaderMax: amount, kind: 'raise' };
  }
  if (amount < state.price + increment(state.price)) return 'BID_TOO_LOW';
  const leaderMax = state.leaderMax;
  if (amount > leaderMax) {
    return {
      price: Math.min(amount, leaderMax + increment(leaderMax)),
      leaderId: bidderId,
      leaderMax: amount,
      kind: 'bid',
    };
  }
  // The leader's proxy answers one increment above the challenger, capped at its maximum; on a tie
  // (amount === leaderMax) the cap applies and the earlier bid keeps the lead at its maximum.
  return { price: Math.min(leaderMax, amount + increment(amount)), leaderId: state.leaderId, leaderMax, kind: 'bid' };
}

/** Once the leader would pay the reserve, the price shows at least the reserve. */
function withReserve(price: number, leaderMax: number, rules: AuctionRules): number {
  return rules.reservePrice !== null && leaderMax >= rules.reservePrice ? Math.max(price, rules.reservePrice) : price;
}

/** A bid inside the last window pushes the end out to now + extend; it never pulls the end in. */
function softCloseEnd(endsAtMs: number, nowMs: number, rules: AuctionRules): number {
  return endsAtMs - nowMs < rules.softCloseWindowMs ? Math.max(endsAtMs, nowMs + rules.softCloseExtendMs) : endsAtMs;
}

/** Decides one bid. A rejection changes nothing: `next` is `state` itself. */
export function decideBid(
  state: BiddingState,
  rules: AuctionRules,
  request: BidRequest,
): { decision: BidDecision; next: BiddingState } {
  const reject = (code: BidRejection) => ({
    decision: { ...publicBidState(state, rules), accepted: false as const, code },
    next: state,
  });
  if (!isOpenAt(state, request.nowMs)) return reject('AUCTION_NOT_OPEN');
  if (request.bidderId === rules.sellerId) return reject('SELLER_CANNOT_BID');
  const standing = standingAfter(state, rules, request);
  if (typeof standing === 'string') return reject(standing);

  const buyNow = standing.kind === 'buy_now';
  // A buy-now ends the auction at once; any other accepted bid may move the end by soft close.
  const endsAtMs = buyNow ? request.nowMs : softCloseEnd(state.endsAtMs, request.nowMs, rules);
  const next: BiddingState = {
    status: buyNow ? 'closed' : 'open',
    startsAtMs: state.startsAtMs,
    endsAtMs,
    price: withReserve(standing.price, standing.leaderMax, rules),
    leaderId: standing.leaderId,
    leaderMax: standing.leaderMax,
    seq: state.seq + 1,
    bidCount: state.bidCount + 1,
  };
  return {
    decision: {
      ...publicBidState(next, rules),
      accepted: true,
      seq: next.seq,
      kind: standing.kind,
      leading: standing.leaderId === request.bidderId,
      extended: !buyNow && endsAtMs !== state.endsAtMs,
    },
    next,
  };
}

export interface AcceptedMax {
  bidderId: string;
  max: number;
  seq: number;
}

export interface FinalPrice {
  winnerId: string | null;
  price: number;
  reserveMet: boolean;
}

/**
 * The closed form of where proxy bidding ends (docs/architecture.md, "Proxy bidding"): the top maximum
 * wins (ties: the lower seq) at min(top, max(startingPrice, second + increment(second))), raised to the
 * reserve once top ≥ reserve.
 * `maxima` may hold several bids per bidder; each bidder counts with their highest accepted maximum.
 *
 * Exact for any order of bids in which no leader raises their own maximum. A raise leaves the price
 * where it is (the rule), so when the price had been capped at the leader's old maximum by a close
 * challenger, the formula, which sees only the new maximum, answers up to one increment more than the
 * auction did — until another accepted challenger bid makes them agree again.
 */
export function finalPriceOf(
  maxima: readonly AcceptedMax[],
  rules: Pick<AuctionRules, 'startingPrice' | 'reservePrice'>,
): FinalPrice {
  const best = new Map<string, AcceptedMax>();
  for (const bid of maxima) {
    const known = best.get(bid.bidderId);
    if (!known || bid.max > known.max || (bid.max === known.max && bid.seq < known.seq)) best.set(bid.bidderId, bid);
  }
  const ranked = [...best.values()].sort((a, b) => b.max - a.max || a.seq - b.seq);
  const [top, second] = ranked;
  if (!top) return { winnerId: null, price: rules.startingPrice, reserveMet: rules.reservePrice === null };
  const competed = second
    ? Math.min(top.max, Math.max(rules.startingPrice, second.max + increment(second.max)))
    : rules.startingPrice;
  const met = rules.reservePrice === null || top.max >= rules.reservePrice;
  return {
    winnerId: top.bidderId,
    price: rules.reservePrice !== null && met ? Math.max(competed, rules.reservePrice) : competed,
    reserveMet: met,
  };
}
