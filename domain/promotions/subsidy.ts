/**
 * Who pays for a doubled maximum. The buyer never pays more than their own maximum would have cost
 * them (with the buyer's premium on it); the seller is paid on the hammer price as always; the house
 * pays the rest, as the order's `houseSubsidy`. All amounts in integer minor units.
 */
import { orderAmounts } from '../settlement/amounts.js';

/** What the house pays on an order whose buyer won with a doubled maximum. */
export function houseSubsidy(hammerPrice: number, ownMax: number, buyersPremiumBps: number): number {
  const charged = orderAmounts(hammerPrice, buyersPremiumBps).total;
  const offered = orderAmounts(Math.min(hammerPrice, ownMax), buyersPremiumBps).total;
  return charged - offered;
}

/**
 * The most a doubling can cost the house: the bidder wins at the top of the doubled maximum. This is
 * what a firing commits against its promotion's budget until the auction's result settles it.
 */
export const subsidyExposure = (ownMax: number, toMax: number, buyersPremiumBps: number): number =>
  houseSubsidy(toMax, ownMax, buyersPremiumBps);

/** The buyer's last doubling on the auction, and whether they bid or retracted after it. */
export interface WinningDoubling {
  fromMax: number;
  firingId: string;
  /** A bid of their own after it replaced the doubled maximum; a retraction took it away. */
  supersededAfter: boolean;
}

/** The subsidy on an auction's order, and the firing it pays for (null: none). */
export function orderSubsidy(
  doubling: WinningDoubling | null,
  hammerPrice: number,
  buyersPremiumBps: number,
): { houseSubsidy: number; promotionFiringId: string | null } {
  if (doubling === null || doubling.supersededAfter) return { houseSubsidy: 0, promotionFiringId: null };
  const subsidy = houseSubsidy(hammerPrice, doubling.fromMax, buyersPremiumBps);
  return { houseSubsidy: subsidy, promotionFiringId: subsidy > 0 ? doubling.firingId : null };
}
