/** A sale as the API shows it: its terms (Postgres, cached) with the live phase and counts (Redis). */
import { saleStatusAt, type SaleCounts, type SalePhase } from '../../domain/sales/sale.js';
import type { PublicSale } from './responses.js';
import type { SaleTerms } from './terms.js';

export interface SaleLiveState {
  phase: SalePhase;
  counts: SaleCounts;
}

export const saleWindowOf = (terms: Pick<SaleTerms, 'startsAt' | 'endsAt'>) => ({
  startsAtMs: terms.startsAt.getTime(),
  endsAtMs: terms.endsAt?.getTime() ?? null,
});

export function presentSale(terms: SaleTerms, live: SaleLiveState, nowMs = Date.now()): PublicSale {
  return {
    id: terms.id,
    sellerId: terms.sellerId,
    title: terms.title,
    description: terms.description,
    category: terms.category,
    currency: terms.currency,
    price: terms.price,
    stock: terms.stock,
    available: live.counts.available,
    held: live.counts.held,
    sold: live.counts.sold,
    perUserLimit: terms.perUserLimit,
    holdSeconds: terms.holdSeconds,
    requireChallenge: terms.requireChallenge,
    status: saleStatusAt(live.phase, live.counts, saleWindowOf(terms), nowMs),
    startsAt: terms.startsAt.toISOString(),
    endsAt: terms.endsAt?.toISOString() ?? null,
  };
}
