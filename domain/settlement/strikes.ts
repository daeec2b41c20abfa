/**
 * Unpaid strikes: every order a buyer let expire counts against them for a while; enough of them at
 * once and the buyer may not bid until the oldest counting one ages out.
 */

export interface StrikePolicy {
  /** Strikes within the window that block bidding. */
  toBlock: number;
  windowDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Until when (ms) a buyer with strikes at `strikeTimesMs` may not bid, or null if they may. Blocked
 * while at least `toBlock` strikes are younger than the window: that is, until the `toBlock`-th most
 * recent one leaves it.
 */
export function blockedUntilMs(strikeTimesMs: readonly number[], policy: StrikePolicy, nowMs: number): number | null {
  if (policy.toBlock < 1) return null;
  const windowMs = policy.windowDays * DAY_MS;
  const recent = strikeTimesMs.filter((at) => at > nowMs - windowMs).sort((a, b) => b - a);
  if (recent.length < policy.toBlock) return null;
  return recent[policy.toBlock - 1]! + windowMs;
}

/** Published (with the user's id) when a strike is added, so every API process re-reads that user's. */
export const BIDDING_BLOCKS_CHANNEL = 'settlement:strikes';
