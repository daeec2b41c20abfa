/**
 * The bid increment table (docs/architecture.md, "Proxy bidding"), as data. This is its ONE definition: the Redis
 * script receives it as ARGV on every call (lua/bidding-store.ts), so the script cannot drift from the
 * TypeScript rules, and changing a step is a change to this file only. (The alternative, a copy in the
 * Lua checked by a test, keeps two definitions that a hurried edit can still let disagree in production.)
 */
import type { AuctionRules, BiddingState } from './bidding.js';

export interface IncrementStep {
  /** The step applies to prices below this bound; null on the last row: every price from there up. */
  below: number | null;
  step: number;
}

export const INCREMENT_TABLE: readonly IncrementStep[] = [
  { below: 100, step: 5 },
  { below: 500, step: 25 },
  { below: 2_500, step: 50 },
  { below: 10_000, step: 100 },
  { below: 25_000, step: 250 },
  { below: 50_000, step: 500 },
  { below: 100_000, step: 1_000 },
  { below: 250_000, step: 2_500 },
  { below: 500_000, step: 5_000 },
  { below: null, step: 10_000 },
];

export function increment(price: number): number {
  for (const { below, step } of INCREMENT_TABLE) if (below === null || price < below) return step;
  throw new Error('INCREMENT_TABLE must end with an unbounded row');
}

/**
 * The least a challenger may bid: the starting price before any bid, then one increment above the price.
 * Takes any part of a state that has the price and the bid count, so a bid replayed from the history
 * can be passed as it is.
 */
export function minimumNextBid(
  state: Pick<BiddingState, 'price' | 'bidCount'> & Partial<BiddingState>,
  rules: Pick<AuctionRules, 'startingPrice'>,
): number {
  return state.bidCount === 0 ? rules.startingPrice : state.price + increment(state.price);
}
