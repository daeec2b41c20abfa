/**
 * When a failed webhook delivery is tried again. The waits follow a schedule (by default Standard
 * Webhooks' example: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h; WEBHOOK_RETRY_SCHEDULE), the last
 * repeating, each moved by up to ±20% at random so that deliveries failing together (a receiver down for
 * an hour) do not all come back at the same instant. A delivery is given up once the retry period
 * (WEBHOOK_RETRY_PERIOD_SECONDS, 24 h) since its creation is over; its last attempt is made at that
 * deadline rather than skipped.
 */

export const JITTER = 0.2;

/** The wait after failed attempt number `attempt` (1 for the first attempt), in ms. */
export function retryDelayMs(
  attempt: number,
  scheduleMs: readonly number[],
  random: () => number = Math.random,
): number {
  if (scheduleMs.length === 0) throw new Error('the retry schedule is empty');
  const base = scheduleMs[Math.min(Math.max(attempt, 1), scheduleMs.length) - 1]!;
  return Math.max(1, Math.round(base * (1 - JITTER + 2 * JITTER * random())));
}
