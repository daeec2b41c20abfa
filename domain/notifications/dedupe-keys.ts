/**
 * One key per occurrence per user. An outbid happens once per loss of the lead, named by the seq of the
 * bid that took it; every other type happens once per auction per user (an auction ends once, and
 * "ending soon" is said once even when a soft close moves the end).
 */
import type { NotificationType } from './types.js';

export const outbidKey = (auctionId: string, userId: string, seq: number) => `outbid:${auctionId}:${userId}:${seq}`;

export const oncePerAuctionKey = (type: Exclude<NotificationType, 'outbid'>, auctionId: string, userId: string) =>
  `${type}:${auctionId}:${userId}`;

/** Settlement notices happen once per order or offer per user (a reminder once per its moment). */
export const settlementKey = (
  type: Extract<NotificationType, `payment_${string}` | `order_${string}` | `second_chance_${string}`>,
  subjectId: string,
  userId: string,
  moment?: number,
) => `${type}:${subjectId}:${userId}${moment === undefined ? '' : `:${moment}`}`;

/** A doubling happens once per firing (a bidder's maximum is doubled at most once per auction at a time). */
export const doublingKey = (auctionId: string, seq: number) => `bid_doubled:${auctionId}:${seq}`;

/** A waitlist offer happens once per hold it made (its order) per user. */
export const waitlistOfferKey = (orderId: string, userId: string) => `waitlist_offer:${orderId}:${userId}`;
