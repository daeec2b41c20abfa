/**
 * A claim: a buyer asks for `quantity` units and gets a hold on them, or a refusal. lua/claim-sale.lua
 * applies these rules atomically in Redis; this is the same decision as a pure function, the rules'
 * one readable statement, and the oracle the script is tested against (test/lua-sales.test.ts).
 */
import type { SaleCounts, SalePhase } from './sale.js';

export const CLAIM_REFUSALS = ['SALE_NOT_OPEN', 'SELLER_CANNOT_BUY', 'LIMIT_REACHED', 'SOLD_OUT'] as const;
export type ClaimRefusal = (typeof CLAIM_REFUSALS)[number];

export interface ClaimState extends SaleCounts {
  phase: SalePhase;
  sellerId: string;
  startsAtMs: number;
  /** null: open until sold out or cancelled. */
  endsAtMs: number | null;
  perUserLimit: number;
  /** Units this buyer holds or bought already. */
  buyerUnits: number;
}

export type ClaimDecision =
  | { ok: true }
  | { ok: false; code: 'SOLD_OUT'; waitlistOpen: boolean }
  | { ok: false; code: Exclude<ClaimRefusal, 'SOLD_OUT'> };

export const isOpenAt = (s: Pick<ClaimState, 'phase' | 'startsAtMs' | 'endsAtMs'>, nowMs: number): boolean =>
  (s.phase === 'scheduled' || s.phase === 'open') &&
  nowMs >= s.startsAtMs &&
  (s.endsAtMs === null || nowMs < s.endsAtMs);

/**
 * In this order: the sale must be open, the seller cannot buy, the buyer's units (held and bought)
 * plus this claim must stay within the limit, and the units must be there. A buyer short of stock may
 * join the waitlist while held units may still come back.
 */
export function decideClaim(s: ClaimState, buyerId: string, quantity: number, nowMs: number): ClaimDecision {
  if (!isOpenAt(s, nowMs)) return { ok: false, code: 'SALE_NOT_OPEN' };
  if (buyerId === s.sellerId) return { ok: false, code: 'SELLER_CANNOT_BUY' };
  if (s.buyerUnits + quantity > s.perUserLimit) return { ok: false, code: 'LIMIT_REACHED' };
  if (s.available < quantity) return { ok: false, code: 'SOLD_OUT', waitlistOpen: s.held > 0 };
  return { ok: true };
}
