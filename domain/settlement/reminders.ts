/**
 * Payment reminders: one at half the payment window and one 24 hours before `payBy`, where they fit.
 * A moment that falls before the order was made, at or after `payBy`, or within a minute of another
 * is left out, so a 48-hour window gets one reminder and a 1-hour window one at 30 minutes.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** Two reminders closer than this would read as one sent twice. */
const MIN_GAP_MS = 60 * 1000;

/** The reminder moments (ms since the epoch), earliest first. */
export function reminderTimes(createdAtMs: number, payByMs: number): number[] {
  const candidates = [createdAtMs + Math.floor((payByMs - createdAtMs) / 2), payByMs - DAY_MS].sort((a, b) => a - b);
  const times: number[] = [];
  for (const at of candidates) {
    if (at <= createdAtMs || at >= payByMs) continue;
    if (times.length > 0 && at - times[times.length - 1]! < MIN_GAP_MS) continue;
    times.push(at);
  }
  return times;
}

/** The reminders due by `nowMs` and not yet sent (sent ones are kept by their moment). */
export const dueReminders = (times: readonly number[], nowMs: number, sent: readonly number[]): number[] =>
  times.filter((at) => at <= nowMs && !sent.includes(at));

/** The next reminder not yet sent, or null. */
export const nextReminderAt = (times: readonly number[], sent: readonly number[]): number | null =>
  times.find((at) => !sent.includes(at)) ?? null;
