/** Money is always an integer number of minor units (cents); these are the bounds every layer shares. */

/**
 * The largest amount anyone may bid or set: 10^15 minor units. The API refuses more, so every number
 * the bidding script forms (an amount plus one increment) stays far below 2^53 and exact in the
 * doubles Redis Lua computes with.
 */
export const MAX_AMOUNT = 1_000_000_000_000_000;

export const isValidAmount = (n: number): boolean => Number.isSafeInteger(n) && n > 0 && n <= MAX_AMOUNT;
