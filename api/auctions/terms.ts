/**
 * The settlement terms of a new auction: what its seller set, within the house's bounds, or the house's
 * defaults. Bounds and defaults are the deployment's (config/env.ts), so the create route's schema is
 * built from them; the domain (domain/settlement/terms.ts) fixes only what no deployment may pass.
 */
import type { Config } from '../../config/env.js';
import type { SettlementTerms } from '../../domain/settlement/terms.js';
import type { AuctionRow } from './rules.js';

export interface TermsPolicy {
  /** The shortest payment window a seller may set (SETTLEMENT_MIN_WINDOW_SECONDS). */
  minPaymentWindowSeconds: number;
  defaultPaymentWindowSeconds: number;
  defaultBuyersPremiumBps: number;
}

export const termsPolicyOf = (config: Config): TermsPolicy => ({
  minPaymentWindowSeconds: config.SETTLEMENT_MIN_WINDOW_SECONDS,
  defaultPaymentWindowSeconds: config.SETTLEMENT_PAYMENT_WINDOW_SECONDS,
  defaultBuyersPremiumBps: config.BUYERS_PREMIUM_BPS,
});

/** The terms an auction was created with, as its row keeps them. */
export const termsOf = (row: Pick<AuctionRow, keyof SettlementTerms>): SettlementTerms => ({
  paymentWindowSeconds: row.paymentWindowSeconds,
  buyersPremiumBps: row.buyersPremiumBps,
  autoSecondChance: row.autoSecondChance,
});
