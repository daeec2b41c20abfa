/**
 * The money of an order, in integer minor units. A percentage of an amount is given in basis points
 * (1 bp = 0.01 %) and rounded half up to a whole minor unit, computed in BigInt because an amount may
 * be up to 10^15 and amount × bps then passes 2^53.
 */

export const MAX_BUYERS_PREMIUM_BPS = 5000;
export const MAX_SELLER_FEE_BPS = 10_000;

/** amount × bps / 10,000, rounded half up (0.5 of a minor unit goes up): 1,005 at 250 bp is 25.125 → 25. */
export function basisPointsOf(amount: number, bps: number): number {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`amount must be a whole number ≥ 0: ${amount}`);
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) throw new RangeError(`bps must be 0-10000: ${bps}`);
  const scaled = BigInt(amount) * BigInt(bps);
  return Number((scaled + 5000n) / 10_000n);
}

export interface OrderAmounts {
  hammerPrice: number;
  buyersPremium: number;
  total: number;
}

/** What the buyer pays: the hammer price plus the buyer's premium on it. */
export function orderAmounts(hammerPrice: number, buyersPremiumBps: number): OrderAmounts {
  const buyersPremium = basisPointsOf(hammerPrice, buyersPremiumBps);
  return { hammerPrice, buyersPremium, total: hammerPrice + buyersPremium };
}

export interface Payout {
  sellerFee: number;
  /** What the seller is owed: the hammer price less the house's fee on it. */
  amount: number;
}

/** The premium is the house's; the seller's share is of the hammer price alone. */
export function sellerPayout(hammerPrice: number, sellerFeeBps: number): Payout {
  const sellerFee = basisPointsOf(hammerPrice, sellerFeeBps);
  return { sellerFee, amount: hammerPrice - sellerFee };
}
