/** The notification types and channels, named for people; typed from the API's schema, so a new type fails the typecheck here. */
import type { Schemas } from './api/client';

export type NotificationType = Schemas['Notification']['type'];
export type Channel = keyof Schemas['NotificationSettings']['channels'];

export const TYPE_LABEL: Record<NotificationType, string> = {
  outbid: 'Outbid',
  auction_won: 'Auction won',
  auction_lost: 'Auction lost',
  auction_ended: 'Your auction ended',
  auction_ending_soon: 'Ending soon',
  auction_started: 'Watched auction started',
  auction_cancelled: 'Auction cancelled',
  payment_due: 'Payment due',
  payment_reminder: 'Payment reminder',
  order_paid: 'Order paid',
  order_unpaid: 'Order unpaid',
  order_cancelled: 'Order cancelled',
  second_chance_offer: 'Second-chance offer',
  bid_doubled: 'Maximum doubled',
  second_chance_answered: 'Second-chance answer',
  waitlist_offer: 'Waitlist offer',
};

export const NOTIFICATION_TYPES = Object.keys(TYPE_LABEL) as NotificationType[];

export const CHANNEL_LABEL: Record<Channel, string> = {
  inbox: 'Inbox',
  live: 'Live',
  email: 'Email',
  webhook: 'Webhook',
};

export const CHANNELS = Object.keys(CHANNEL_LABEL) as Channel[];
