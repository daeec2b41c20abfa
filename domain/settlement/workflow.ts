/**
 * The settlement workflow's payloads: what starts it, what it reports, and what the API and operators
 * send it. One settlement per sold auction (workflow id `settlement-<auctionId>`): it owns the payment
 * window's timers, the reminders, the expiry and the second-chance offers that follow, and it is the
 * one writer of which order or offer is live, so an auction never has two at once.
 */
import type { Offer } from './offer.js';
import type { Order, OrderStatus } from './order.js';

/** What the settlement needs of an order to keep its clock: the rest is in Postgres. */
export interface OrderClock {
  id: string;
  buyerId: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  payBy: string;
}

export interface OfferClock {
  id: string;
  bidderId: string;
  /** ISO-8601 UTC. */
  expiresAt: string;
}

export interface SettlementInput {
  auctionId: string;
  sellerId: string;
  /** The order the close made for the winner. */
  order: OrderClock;
  autoSecondChance: boolean;
  offerWindowSeconds: number;
  /** How long after the last unpaid order or unanswered offer the seller may still make an offer. */
  sellerDecisionSeconds: number;
}

/**
 * - awaiting_payment: an order is live, its clock running
 * - offer_open: a second-chance offer is live
 * - awaiting_seller: nothing is live; the seller may offer the lot to the next bidder, or relist it
 * - paid: an order was paid (final)
 * - closed: nothing more will happen: nobody is left to offer it to, the seller let the time pass, or
 *   relisted it (final)
 */
export type SettlementPhase = 'awaiting_payment' | 'offer_open' | 'awaiting_seller' | 'paid' | 'closed';

export interface SettlementState {
  auctionId: string;
  phase: SettlementPhase;
  /** The latest order, and its status as the settlement knows it. */
  order: (OrderClock & { status: OrderStatus }) | null;
  offer: (OfferClock & { status: Offer['status'] }) | null;
  /** Reminders already sent for the live order (ms since the epoch of their moment). */
  remindersSent: number[];
  /** Every order made, in order: the first is the auction's. */
  orderIds: string[];
  offerIds: string[];
  /** ISO-8601 UTC: until when the seller may make an offer, in awaiting_seller. */
  sellerDecisionBy: string | null;
}

/** The webhook (or anything else that changed the order in Postgres) says so; the workflow re-reads it. */
export interface OrderChanged {
  orderId: string;
}

export interface ManualPayment {
  reason: string;
}

export interface CancelOrderRequest {
  reason: string;
}

export interface ExtendPayByRequest {
  /** ISO-8601 UTC; must be later than the current payBy. */
  payBy: string;
  reason: string;
}

export interface OfferAnswer {
  offerId: string;
  bidderId: string;
  accept: boolean;
}

export interface OfferAnswerResult {
  offer: Offer;
  order: Order | null;
}

/** Why an update was refused: the API maps each to its HTTP answer. */
export const SETTLEMENT_REFUSALS = {
  notAwaitingSeller: 'SETTLEMENT_NOT_AWAITING_SELLER',
  noCandidate: 'NO_SECOND_CHANCE_CANDIDATE',
  offerNotOpen: 'OFFER_NOT_OPEN',
  notYourOffer: 'NOT_YOUR_OFFER',
  orderNotAwaitingPayment: 'ORDER_NOT_AWAITING_PAYMENT',
  payByNotLater: 'PAY_BY_NOT_LATER',
} as const;
export type SettlementRefusal = (typeof SETTLEMENT_REFUSALS)[keyof typeof SETTLEMENT_REFUSALS];
