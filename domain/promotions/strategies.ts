/**
 * How the promoter chooses whom to double: pluggable strategies over the same candidates, drawn from one
 * seeded generator (pure-rand's xoroshiro128+), so a firing's choice is reproduced exactly from the seed
 * and candidates it recorded. Every strategy first picks an auction uniformly, then a bidder on it.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** A bidder who may be doubled: a live maximum, not doubled already. */
export interface CandidateBidder {
  bidderId: string;
  /** Their alias: aliases are given in the order of first bids, so a higher alias is a newer bidder. */
  alias: number;
  max: number;
}

export interface CandidateAuction {
  auctionId: string;
  bidders: readonly CandidateBidder[];
}

export interface Choice {
  auctionId: string;
  bidder: CandidateBidder;
}

/** Picks one bidder from a non-empty list, drawing from `rng`. */
type BidderPicker = (bidders: readonly CandidateBidder[], rng: RandomGenerator) => CandidateBidder;

/** Weighted draw: index i with probability weights[i] / sum. */
function drawWeighted<T>(items: readonly T[], weights: readonly number[], rng: RandomGenerator): T {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let ticket = uniformInt(rng, 1, total);
  for (let i = 0; i < items.length; i++) {
    ticket -= weights[i]!;
    if (ticket <= 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

const byAlias = (bidders: readonly CandidateBidder[]) => [...bidders].sort((a, b) => a.alias - b.alias);

export const STRATEGIES = {
  /** Every candidate bidder equally likely. */
  uniform: (bidders, rng) => byAlias(bidders)[uniformInt(rng, 0, bidders.length - 1)]!,
  /** Newer bidders more likely: the k-th bidder to arrive has weight k, so the newest is the likeliest. */
  newer_bidders: (bidders, rng) => {
    const sorted = byAlias(bidders);
    return drawWeighted(
      sorted,
      sorted.map((_, i) => i + 1),
      rng,
    );
  },
} as const satisfies Record<string, BidderPicker>;

export type StrategyName = keyof typeof STRATEGIES;
export const STRATEGY_NAMES = Object.keys(STRATEGIES) as [StrategyName, ...StrategyName[]];

/** A seed for a firing: any 32-bit integer. */
export const SEED_MAX = 0x7fff_ffff;

/**
 * The firing's choice, or null when no auction has a candidate. The same seed, strategy and candidates
 * (in any order) always give the same choice.
 */
export function chooseDoubling(
  candidates: readonly CandidateAuction[],
  strategy: StrategyName,
  seed: number,
): Choice | null {
  const auctions = candidates
    .filter((auction) => auction.bidders.length > 0)
    .sort((a, b) => (a.auctionId < b.auctionId ? -1 : a.auctionId > b.auctionId ? 1 : 0));
  if (auctions.length === 0) return null;
  const rng = xoroshiro128plus(seed);
  const auction = auctions[uniformInt(rng, 0, auctions.length - 1)]!;
  return { auctionId: auction.auctionId, bidder: STRATEGIES[strategy](auction.bidders, rng) };
}
