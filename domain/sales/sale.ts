/**
 * Flash sales: a fixed price, a limited stock, a per-user limit, and holds that expire. What a sale is,
 * the bounds every layer shares, and the status a client sees (docs/sales.md).
 */
import { MAX_AMOUNT } from '../money.js';

/** What a client sees. `sold_out` is no state of its own: an open sale with nothing available. */
export const SALE_STATUSES = ['scheduled', 'open', 'sold_out', 'closed', 'cancelled'] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];

/** What the sale's Redis hash and Postgres row keep; the clock and the counts give the rest. */
export const SALE_PHASES = ['scheduled', 'open', 'closed', 'cancelled'] as const;
export type SalePhase = (typeof SALE_PHASES)[number];

export const SALE_LIMITS = {
  minStock: 1,
  maxStock: 1_000_000,
  /** A price times a quantity must stay an exact amount (domain/money.ts). */
  maxPrice: Math.floor(MAX_AMOUNT / 1_000_000),
  maxPerUserLimit: 100,
  defaultPerUserLimit: 1,
  defaultHoldSeconds: 600,
  /** A hold is a payment window: longer than a day is no flash sale. */
  maxHoldSeconds: 86_400,
  /** How far in the past a startsAt may be (a client's clock, a slow request) and still mean "now". */
  startsAtGraceMs: 60_000,
  /** The longest a sale may run. */
  maxDurationMs: 30 * 24 * 3600 * 1000,
} as const;

export interface SaleCounts {
  /** Units anyone may claim now. */
  available: number;
  /** Units in holds awaiting payment. */
  held: number;
  /** Units paid for. */
  sold: number;
}

/** stock = available + held + sold, always: the one invariant every change keeps. */
export const countsAreWhole = (stock: number, counts: SaleCounts): boolean =>
  counts.available >= 0 &&
  counts.held >= 0 &&
  counts.sold >= 0 &&
  counts.available + counts.held + counts.sold === stock;

/**
 * The status at `nowMs`. Redis opens and closes a sale by its own clock (a claim looks at it), so a
 * phase still 'scheduled' or 'open' whose moment has passed already is what the clock says.
 */
export function saleStatusAt(
  phase: SalePhase,
  counts: Pick<SaleCounts, 'available'>,
  window: { startsAtMs: number; endsAtMs: number | null },
  nowMs: number,
): SaleStatus {
  if (phase === 'cancelled' || phase === 'closed') return phase;
  if (window.endsAtMs !== null && nowMs >= window.endsAtMs) return 'closed';
  if (nowMs < window.startsAtMs) return 'scheduled';
  return counts.available === 0 ? 'sold_out' : 'open';
}

/**
 * Nothing can change any more: no unit is held, and no claim can take one (closed or cancelled, or every
 * unit sold: units come back only from holds). The sale workflow ends here, and its Redis state may go.
 */
export const saleIsFinished = (phase: SalePhase, counts: SaleCounts): boolean =>
  counts.held === 0 && (phase === 'closed' || phase === 'cancelled' || counts.available === 0);

/**
 * How long a finished sale's state stays in Redis: claims meanwhile get the exact refusal (SOLD_OUT,
 * SALE_NOT_OPEN) and retries their stored answers; afterwards reads come from its Postgres row.
 */
export const SALE_STATE_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** A unit's price times a quantity: exact, as both are bounded (SALE_LIMITS). */
export const saleTotal = (price: number, quantity: number): number => price * quantity;
