/** The life of an auction and how it may end. */

export const AUCTION_STATUSES = ['scheduled', 'open', 'closed', 'cancelled'] as const;
export type AuctionStatus = (typeof AUCTION_STATUSES)[number];

export const AUCTION_OUTCOMES = ['sold', 'unsold', 'reserve_not_met'] as const;
export type AuctionOutcome = (typeof AUCTION_OUTCOMES)[number];

/** How a bid row came to be: a bid (its amount is the bidder's maximum), a leader raising their own maximum, a buy-now. */
export const BID_KINDS = ['bid', 'raise', 'buy_now'] as const;
export type BidKind = (typeof BID_KINDS)[number];

const NEXT: Record<AuctionStatus, readonly AuctionStatus[]> = {
  scheduled: ['open', 'cancelled'],
  open: ['closed', 'cancelled'],
  closed: [],
  cancelled: [],
};

export function canMove(from: AuctionStatus, to: AuctionStatus): boolean {
  return NEXT[from].includes(to);
}

export const isFinal = (status: AuctionStatus): boolean => NEXT[status].length === 0;

/**
 * The status to show at `nowMs`: Redis says 'scheduled' until a bid or the close looks at the clock,
 * but an auction whose start has passed is open to bidders already.
 */
export const statusAt = (status: AuctionStatus, startsAtMs: number, nowMs: number): AuctionStatus =>
  status === 'scheduled' && nowMs >= startsAtMs ? 'open' : status;
