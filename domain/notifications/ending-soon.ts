/**
 * "Ending soon" lead times. Each user picks one; the auction workflow wakes at each of them before the
 * end and tells the users who picked it. A lead time already past when the auction opens (a short
 * auction) is said at once: it ends sooner than that. Each is said once per auction, however the end
 * moves afterwards.
 */
export const ENDING_SOON_MINUTES = [1, 5, 15, 60, 180, 1440] as const;
export type EndingSoonMinutes = (typeof ENDING_SOON_MINUTES)[number];
export const DEFAULT_ENDING_SOON_MINUTES: EndingSoonMinutes = 15;

const MINUTE_MS = 60_000;

/** The lead times not yet said whose moment has come by `nowMs`, for an auction ending at `endsAtMs`. */
export function dueEndingSoon(endsAtMs: number, nowMs: number, said: readonly number[]): EndingSoonMinutes[] {
  return ENDING_SOON_MINUTES.filter((m) => !said.includes(m) && endsAtMs - m * MINUTE_MS <= nowMs);
}

/** When the next lead time not yet said comes due (null: all said), so the workflow can sleep until then. */
export function nextEndingSoonAtMs(endsAtMs: number, said: readonly number[]): number | null {
  const pending = ENDING_SOON_MINUTES.filter((m) => !said.includes(m));
  if (pending.length === 0) return null;
  return endsAtMs - Math.max(...pending) * MINUTE_MS;
}
