/**
 * When a seller may relist a lot: put it up again as a new auction with the same lot, images and
 * rules. Only a lot that did not sell, or whose sale came to nothing: never one that was paid for or
 * may still be, so no lot is sold twice. docs/settlement.md, "Relisting".
 */
import type { AuctionOutcome, AuctionStatus } from './auction-status.js';
import type { OfferStatus } from './settlement/offer.js';
import type { OrderStatus } from './settlement/order.js';
import type { SettlementPhase } from './settlement/workflow.js';

/**
 * - not_ended: still scheduled or open
 * - cancelled: the seller called it off (create a new auction instead)
 * - sold_before_settlement: sold on the code from before orders existed: whether it was paid is not known here
 * - paid: an order for it is paid
 * - order_live: an order for it awaits payment
 * - offer_live: a second-chance offer for it is open
 * - settlement_busy: the settlement is making an offer (autoSecondChance) or answering another request
 */
export const RELIST_REFUSALS = [
  'not_ended',
  'cancelled',
  'sold_before_settlement',
  'paid',
  'order_live',
  'offer_live',
  'settlement_busy',
] as const;
export type RelistRefusal = (typeof RELIST_REFUSALS)[number];

export interface RelistedAuction {
  status: AuctionStatus;
  outcome: AuctionOutcome | null;
  /** The order a sale made at its close; null when nothing sold, and on sales from before orders existed. */
  orderId: string | null;
}

/** What became of a sale: the status of every order and second-chance offer made for the lot. */
export interface SaleAftermath {
  orders: readonly OrderStatus[];
  offers: readonly OfferStatus[];
}

/** Only a sale's orders and offers can stand in a relist's way: unsold lots need no look at them. */
export const needsSaleAftermath = (auction: RelistedAuction): boolean =>
  auction.status === 'closed' && auction.outcome === 'sold';

/**
 * Why the lot may not be relisted, or null when it may. `sale` is needed when needsSaleAftermath says
 * so. A refunded order does not count as paid: the money went back, the lot is the seller's again.
 */
export function relistRefusal(auction: RelistedAuction, sale: SaleAftermath | null): RelistRefusal | null {
  if (auction.status === 'cancelled') return 'cancelled';
  if (auction.status !== 'closed') return 'not_ended';
  if (auction.outcome !== 'sold') return null;
  if (auction.orderId === null) return 'sold_before_settlement';
  if (!sale) throw new Error('a sold auction needs its orders and offers to decide a relist');
  if (sale.orders.includes('paid')) return 'paid';
  if (sale.orders.includes('awaiting_payment')) return 'order_live';
  if (sale.offers.includes('open')) return 'offer_live';
  return null;
}

/**
 * Why a running settlement refused to end for a relist, from the phase it was in; null when it is
 * over (closed) and so no longer in the way.
 */
export function relistRefusalInPhase(phase: SettlementPhase): RelistRefusal | null {
  switch (phase) {
    case 'closed':
      return null;
    case 'paid':
      return 'paid';
    case 'awaiting_payment':
      return 'order_live';
    case 'offer_open':
      return 'offer_live';
    case 'awaiting_seller':
      return 'settlement_busy';
  }
}
