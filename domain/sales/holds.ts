/**
 * When the sale workflow releases expired holds. Holds live in a Redis sorted set scored by their
 * expiry; the workflow keeps one timer, for the earliest, and each run releases every hold then due.
 * Runs are at least MIN_EXPIRY_RUN_GAP_MS apart, so a thousand holds expiring over a minute cost the
 * workflow at most sixty runs, not a thousand timers; a hold waits at most that long past its expiry
 * (plus the run itself). docs/sales.md, "Holds", has the figures.
 */

/** A hold is released at most this long after it expires (the promise is 2 s; the rest is the run's). */
export const MIN_EXPIRY_RUN_GAP_MS = 1_000;

/** When the next expiry run may start: at the earliest hold's expiry, but not sooner than the gap allows. */
export const nextExpiryRunAtMs = (earliestExpiryMs: number, lastRunAtMs: number | null): number =>
  Math.max(earliestExpiryMs, lastRunAtMs === null ? earliestExpiryMs : lastRunAtMs + MIN_EXPIRY_RUN_GAP_MS);

/**
 * A sale's workflow continues as new past this many history events, so however many claims and
 * expiries a sale sees, each run's history stays far below Temporal's 51,200-event limit (and the
 * 4,096 at which Temporal suggests it).
 */
export const SALE_HISTORY_EVENTS_BEFORE_CONTINUE = 2_000;
