/**
 * A firing's outcomes, and what a promotion has committed of its budget. A doubling holds its worst case
 * (its exposure, subsidy.ts) until its auction's result settles it: then it costs the subsidy on the
 * order it led to, or nothing. A promotion fires only while the rest of its budget covers the exposure
 * of the doubling it chose.
 */
import type { AuctionOutcome, AuctionStatus } from '../auction-status.js';

export const FIRING_OUTCOMES = [
  'doubled',
  // The doubling script refused (the auction closed, the maximum changed…): see reason.
  'refused',
  // No live auction in scope had a bidder it could double.
  'no_candidate',
  // The chosen doubling's exposure passes what is left of the budget.
  'over_budget',
  // The promotion was paused or deleted by the time the firing ran.
  'inactive',
] as const;
export type FiringOutcome = (typeof FIRING_OUTCOMES)[number];

/** One doubling as the budget sees it. */
export interface CommittedDoubling {
  firingId: string;
  exposure: number;
  auctionStatus: AuctionStatus;
  /** Set once the auction closed: only a sale leads to an order. */
  auctionOutcome: AuctionOutcome | null;
  /** The auction's order, once its close made one: which firing (if any) it was subsidised by, and how much. */
  order: { houseSubsidy: number; promotionFiringId: string | null } | null;
}

/** What one doubling costs the budget now. */
export function costOf(doubling: CommittedDoubling): number {
  if (doubling.order !== null) {
    return doubling.order.promotionFiringId === doubling.firingId ? doubling.order.houseSubsidy : 0;
  }
  if (doubling.auctionStatus === 'cancelled') return 0;
  // Closed and sold, but the order is still on its way: held until it exists.
  if (doubling.auctionStatus === 'closed' && doubling.auctionOutcome !== 'sold') return 0;
  return doubling.exposure;
}

export const committedOf = (doublings: readonly CommittedDoubling[]): number =>
  doublings.reduce((sum, doubling) => sum + costOf(doubling), 0);
