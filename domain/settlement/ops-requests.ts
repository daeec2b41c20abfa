/**
 * What an operator sends the settlement from the Temporal UI or CLI (mark paid, cancel, extend payBy),
 * checked before the workflow takes it. A signal's input is whatever was typed: a missing field or a
 * mistyped date must be dropped with a warning, never throw in the handler (that fails every retry of
 * the workflow task, and the settlement stops) nor reach Postgres (a year 20250 payBy never expires).
 */
import { MAX_PAYMENT_WINDOW_SECONDS } from './terms.js';

export type OpsRequestCheck<T> = { ok: true; request: T } | { ok: false; why: string };

const MAX_REASON_LENGTH = 500;

function reasonOf(input: unknown): string | null {
  const reason = (input as { reason?: unknown } | null | undefined)?.reason;
  if (typeof reason !== 'string') return null;
  const trimmed = reason.trim();
  return trimmed.length > 0 && trimmed.length <= MAX_REASON_LENGTH ? trimmed : null;
}

/** markOrderPaid and cancelOrder: `{reason}`, a non-empty string (it is kept on the order). */
export function checkReasonRequest(input: unknown): OpsRequestCheck<{ reason: string }> {
  const reason = reasonOf(input);
  if (reason === null) return { ok: false, why: `needs {"reason": "..."} (1-${MAX_REASON_LENGTH} characters)` };
  return { ok: true, request: { reason } };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * extendPayBy: `{payBy, reason}`, payBy an ISO-8601 instant later than the current one and at most the
 * longest payment window from now.
 */
export function checkExtendRequest(
  input: unknown,
  currentPayByMs: number,
  nowMs: number,
): OpsRequestCheck<{ payBy: string; reason: string }> {
  const reason = reasonOf(input);
  const payBy = (input as { payBy?: unknown } | null | undefined)?.payBy;
  if (reason === null || typeof payBy !== 'string' || !ISO_INSTANT.test(payBy)) {
    return { ok: false, why: 'needs {"payBy": "<ISO-8601 instant>", "reason": "..."}' };
  }
  const payByMs = Date.parse(payBy);
  if (!Number.isFinite(payByMs)) return { ok: false, why: `payBy ${payBy} is not a date` };
  if (payByMs <= currentPayByMs) return { ok: false, why: 'payBy must be later than the current one' };
  if (payByMs > nowMs + MAX_PAYMENT_WINDOW_SECONDS * 1000) {
    return { ok: false, why: `payBy may be at most ${MAX_PAYMENT_WINDOW_SECONDS / 86_400} days from now` };
  }
  return { ok: true, request: { payBy: new Date(payByMs).toISOString(), reason } };
}
