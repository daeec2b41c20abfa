/**
 * Orders: what a sold lot, an accepted second-chance offer or a flash sale's claim asks its buyer to pay,
 * and by when.
 */

export const ORDER_KINDS = ['auction', 'second_chance', 'sale'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

export const ORDER_STATUSES = ['awaiting_payment', 'paid', 'expired', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const isOrderStatus = (value: string): value is OrderStatus =>
  (ORDER_STATUSES as readonly string[]).includes(value);

/** The one status a payment can land on; every other one refunds it (docs/settlement.md). */
export const isPayable = (status: OrderStatus): boolean => status === 'awaiting_payment';

export interface Order {
  id: string;
  /** The auction an order of kind auction or second_chance is for; null for a sale's. */
  auctionId: string | null;
  /** The flash sale an order of kind sale is for (domain/sales/); null otherwise. */
  saleId: string | null;
  kind: OrderKind;
  /** Units: 1 for an auction's lot, up to the sale's per-user limit for a claim. */
  quantity: number;
  buyerId: string;
  sellerId: string;
  hammerPrice: number;
  buyersPremium: number;
  total: number;
  /** What the house pays of the total: a promotion doubled the buyer's maximum (domain/promotions/subsidy.ts). */
  houseSubsidy: number;
  /** What the buyer is charged: total − houseSubsidy. */
  amountDue: number;
  currency: string;
  status: OrderStatus;
  /** ISO-8601 UTC. */
  payBy: string;
  paidAt: string | null;
  createdAt: string;
}

/** How a payment reached the order: Stripe, or an operator's hand (with the reason they gave). */
export type PaymentSource = { via: 'stripe'; paymentIntentId: string } | { via: 'ops'; reason: string };
