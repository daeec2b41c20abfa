/**
 * A blocked account may still sign in, read, and pay what it already owes, but may not bid, sell or
 * claim. Those refusals are decided from each API process's memory (api/moderation/account-blocks.ts),
 * which learns of blocks and unblocks through Redis: each change carries a version, one higher per
 * change of that account, so whichever way the news arrives (the poll, a refill from Postgres at start,
 * a repeat), an older state never overwrites a newer one.
 */

/**
 * A block state as one number, for a Redis sorted set written with `ZADD GT`: the version in the high
 * part, blocked in the lowest bit. A later change always scores higher, whichever way it went.
 */
export const blockScore = (version: number, blocked: boolean): number => version * 2 + (blocked ? 1 : 0);

export const isBlockedScore = (score: number): boolean => score % 2 === 1;

export const ACCOUNT_BLOCKED_MESSAGE =
  'Your account is blocked: you may sign in, read and pay your orders, but not bid, sell or claim. Contact support.';
