/**
 * One key per occurrence per user. An outbid happens once per loss of the lead, named by the seq of the
 * bid that took it; every other type happens once per auction per user (an auction ends once, and
 * "ending soon" is said once even when a soft close moves the end).
 */
import type { NotificationType } from './types.js';

export const outbidKey = (auctionId: string, userId: string, seq: number) => `outbid:${auctionId}:${userId}:${seq}`;

export const oncePerAuctionKey = (type: Exclude<NotificationType, 'outbid'>, auctionId: string, userId: string) =>
  `${type}:${auctionId}:${userId}`;
