/** Orders and offers as the API and the workflow see them, from their rows. */
import type { Offer } from '../domain/settlement/offer.js';
import type { Order } from '../domain/settlement/order.js';
import type { orders, secondChanceOffers } from './settlement-schema.js';

export function toOrder(row: typeof orders.$inferSelect): Order {
  return {
    id: row.id,
    auctionId: row.auctionId,
    saleId: row.saleId,
    kind: row.kind,
    quantity: row.quantity,
    buyerId: row.buyerId,
    sellerId: row.sellerId,
    hammerPrice: row.hammerPrice,
    buyersPremium: row.buyersPremium,
    total: row.total,
    houseSubsidy: row.houseSubsidy,
    amountDue: row.total - row.houseSubsidy,
    currency: row.currency,
    status: row.status,
    payBy: row.payBy.toISOString(),
    paidAt: row.paidAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toOffer(row: typeof secondChanceOffers.$inferSelect, orderId: string | null): Offer {
  return {
    id: row.id,
    auctionId: row.auctionId,
    bidderId: row.bidderId,
    sellerId: row.sellerId,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    orderId,
  };
}
