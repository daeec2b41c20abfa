/** The settlement's messages, through the one notification pipeline: once per order or offer per user. */
import { settlementKey } from '../../domain/notifications/dedupe-keys.js';
import type { NotificationDraft, NotificationType } from '../../domain/notifications/types.js';
import type { Offer } from '../../domain/settlement/offer.js';
import type { Order } from '../../domain/settlement/order.js';
import type { NotificationPipeline } from '../notifications/pipeline.js';

type SettlementType = Parameters<typeof settlementKey>[0] & NotificationType;

const orderData = (order: Order, title: string, role: 'buyer' | 'seller') => ({
  title,
  orderId: order.id,
  currency: order.currency,
  hammerPrice: order.hammerPrice,
  buyersPremium: order.buyersPremium,
  // What the buyer pays: a promotion's subsidy is taken off already.
  total: order.amountDue,
  payBy: order.payBy,
  role,
});

export class SettlementNotices {
  constructor(private readonly pipeline: NotificationPipeline) {}

  /** To the order's buyer, or to both parties, each told which side of it they are on. */
  async order(
    type: SettlementType,
    order: Order,
    title: string,
    { toSeller = false, moment, reason }: { toSeller?: boolean; moment?: number; reason?: string | null } = {},
  ): Promise<void> {
    const parties: ['buyer' | 'seller', string][] = [['buyer', order.buyerId]];
    if (toSeller) parties.push(['seller', order.sellerId]);
    const drafts: NotificationDraft[] = parties.map(([role, userId]) => ({
      userId,
      type,
      auctionId: order.auctionId,
      data: { ...orderData(order, title, role), ...(reason === undefined ? {} : { reason }) },
      dedupeKey: settlementKey(type, order.id, userId, moment),
    }));
    await this.pipeline.deliverDrafts(drafts);
  }

  /** A new offer to its bidder, or its answer (accepted, declined, expired) to the seller. */
  async offer(type: 'second_chance_offer' | 'second_chance_answered', offer: Offer, title: string): Promise<void> {
    const userId = type === 'second_chance_offer' ? offer.bidderId : offer.sellerId;
    await this.pipeline.deliverDrafts([
      {
        userId,
        type,
        auctionId: offer.auctionId,
        data: {
          title,
          offerId: offer.id,
          currency: offer.currency,
          amount: offer.amount,
          expiresAt: offer.expiresAt,
          ...(offer.status === 'open' ? {} : { offerStatus: offer.status }),
        },
        dedupeKey: settlementKey(type, offer.id, userId),
      },
    ]);
  }
}
