/**
 * Durations as people type them: a whole number and a unit, `45s`, `90m`, `2h`, `3d`, or several in a
 * row (`1h30m`), read into whole seconds. Anything else is a usage error, found before any request.
 */
import { UsageError } from '../errors.js';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const WHOLE = /^(?:\d+[smhd])+$/;
const PART = /(\d+)([smhd])/g;

/** A limit well past anything the API takes (auctions run 30 days at most), so the sum stays exact. */
const MAX_SECONDS = 365 * 86_400;

export function parseDuration(text: string, what = 'The duration'): number {
  const compact = text.trim().toLowerCase();
  if (!WHOLE.test(compact)) {
    throw new UsageError(`${what} must be a number and a unit, such as 90m, 2h or 3d (got "${text}")`);
  }
  let seconds = 0;
  for (const [, count, unit] of compact.matchAll(PART)) {
    seconds += Number(count) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS];
  }
  if (seconds <= 0) throw new UsageError(`${what} must be longer than zero (got "${text}")`);
  if (!Number.isSafeInteger(seconds) || seconds > MAX_SECONDS) {
    throw new UsageError(`${what} is longer than a year (got "${text}")`);
  }
  return seconds;
}
