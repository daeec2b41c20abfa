/** The settlement rules a seller sets on an auction, and their bounds. */
import { MAX_BUYERS_PREMIUM_BPS } from './amounts.js';

export interface SettlementTerms {
  /** How long the winner (or an offer's taker) has to pay, from the order's creation. */
  paymentWindowSeconds: number;
  /** The buyer's premium on the hammer price, in basis points (0-5000). */
  buyersPremiumBps: number;
  /** Send second-chance offers in order by themselves after an unpaid order, without the seller. */
  autoSecondChance: boolean;
}

/** Upper bound of a payment window: a month is longer than any house asks. */
export const MAX_PAYMENT_WINDOW_SECONDS = 30 * 24 * 60 * 60;

export const isValidBuyersPremiumBps = (bps: number): boolean =>
  Number.isInteger(bps) && bps >= 0 && bps <= MAX_BUYERS_PREMIUM_BPS;

export const isValidPaymentWindow = (seconds: number, minSeconds: number): boolean =>
  Number.isInteger(seconds) && seconds >= minSeconds && seconds <= MAX_PAYMENT_WINDOW_SECONDS;
