/**
 * What Gavel tells users, through which channels. Every user-facing event goes through one pipeline
 * (activities/notifications/): the inbox row is written once per occurrence per user, keyed by its
 * dedupe key, and every channel (live stream, email, webhooks) follows from that row.
 */

export const NOTIFICATION_TYPES = [
  'outbid',
  'auction_won',
  'auction_lost',
  'auction_ended',
  'auction_ending_soon',
  'auction_started',
  'auction_cancelled',
  // Settlement: the order, its payment, and second-chance offers.
  'payment_due',
  'payment_reminder',
  'order_paid',
  'order_unpaid',
  'order_cancelled',
  'second_chance_offer',
  'second_chance_answered',
  // Flash sales: units an expired hold gave back, held for a buyer on the waitlist.
  'waitlist_offer',
  // The promoter doubled the recipient's maximum on an auction, at the house's expense.
  'bid_doubled',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** The inbox keeps every notification; the others may be turned off per type. */
export const CHANNELS = ['inbox', 'live', 'email', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];
export type OptionalChannel = Exclude<Channel, 'inbox'>;
export const OPTIONAL_CHANNELS: readonly OptionalChannel[] = ['live', 'email', 'webhook'];

export const isNotificationType = (value: string): value is NotificationType =>
  (NOTIFICATION_TYPES as readonly string[]).includes(value);

/** One occurrence for one user: the row the inbox stores, before it has an id. */
export interface NotificationDraft {
  userId: string;
  type: NotificationType;
  auctionId: string | null;
  /** What a person needs to act on it: title, prices, times, result. */
  data: NotificationData;
  /** Unique across all notifications: the same occurrence for the same user is stored once. */
  dedupeKey: string;
}

/** The notification as every channel presents it. */
export interface Notification {
  id: number;
  type: NotificationType;
  auctionId: string | null;
  data: NotificationData;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationData {
  title: string;
  /** Integer minor units of `currency`. */
  currentPrice?: number;
  minimumNextBid?: number;
  currency?: string;
  endsAt?: string;
  /** auction_ended / auction_won: how it ended. */
  outcome?: 'sold' | 'unsold' | 'reserve_not_met';
  finalPrice?: number | null;
  winnerId?: string | null;
  /** auction_ending_soon: the lead time the user chose. */
  minutesLeft?: number;
  /** auction_cancelled: the seller's reason; order_cancelled: the operator's. */
  reason?: string | null;
  /** Settlement: the order (and its money) a notice is about. */
  orderId?: string;
  hammerPrice?: number;
  buyersPremium?: number;
  total?: number;
  /** ISO-8601 UTC: when the order must be paid by. */
  payBy?: string;
  /** Whether the recipient is the order's buyer or its seller. */
  role?: 'buyer' | 'seller';
  /** second_chance_*: the offer, its price (the bidder's own maximum) and its end. */
  offerId?: string;
  amount?: number;
  expiresAt?: string;
  offerStatus?: 'accepted' | 'declined' | 'expired';
  /** waitlist_offer: the sale, and how many units its new hold keeps until payBy. */
  saleId?: string;
  quantity?: number;
  /** bid_doubled: the recipient's own maximum and the doubled one the house now bids for them. */
  ownMaximum?: number;
  doubledMaximum?: number;
}
