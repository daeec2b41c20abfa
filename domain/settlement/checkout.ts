/**
 * Stripe Checkout Sessions expire between 30 minutes and 24 hours after they are made: the session
 * lives until the order's `payBy`, clamped into that range. A session still open after `payBy` may
 * take a payment; the webhook refunds it (docs/settlement.md, "Late payments").
 */

const MINUTE_MS = 60 * 1000;
/** A little inside Stripe's bounds, so the clock between here and Stripe cannot push it out. */
export const CHECKOUT_MIN_LIFETIME_MS = 31 * MINUTE_MS;
export const CHECKOUT_MAX_LIFETIME_MS = 23 * 60 * MINUTE_MS + 59 * MINUTE_MS;

/** The session's `expires_at`, in whole seconds since the epoch as Stripe takes it. */
export function checkoutExpiresAt(payByMs: number, nowMs: number): number {
  const at = Math.min(Math.max(payByMs, nowMs + CHECKOUT_MIN_LIFETIME_MS), nowMs + CHECKOUT_MAX_LIFETIME_MS);
  return Math.floor(at / 1000);
}

/** A session this close to its end is not handed out again: a new one is made instead. */
export const CHECKOUT_REUSE_MARGIN_MS = 5 * MINUTE_MS;
