/**
 * A user's notification settings: which types each optional channel carries, and the "ending soon" lead
 * time. A user who never changed anything has the defaults; the inbox carries every type, always.
 */
import { DEFAULT_ENDING_SOON_MINUTES, type EndingSoonMinutes } from './ending-soon.js';
import { NOTIFICATION_TYPES, type NotificationType, type OptionalChannel } from './types.js';

export interface NotificationSettings {
  /** For each optional channel, the types it carries. */
  channels: Record<OptionalChannel, NotificationType[]>;
  endingSoonMinutes: EndingSoonMinutes;
}

/**
 * Live streams carry everything (they only reach an open page). Email carries what a person would act on
 * away from the site. Webhooks carry every type, but only the types each webhook was registered for.
 */
export const DEFAULT_SETTINGS: NotificationSettings = {
  channels: {
    live: [...NOTIFICATION_TYPES],
    email: [
      'outbid',
      'auction_won',
      'auction_ended',
      'auction_ending_soon',
      'payment_due',
      'payment_reminder',
      'order_paid',
      'order_unpaid',
      'order_cancelled',
      'second_chance_offer',
      'second_chance_answered',
      'waitlist_offer',
      'bid_doubled',
    ],
    webhook: [...NOTIFICATION_TYPES],
  },
  endingSoonMinutes: DEFAULT_ENDING_SOON_MINUTES,
};

export const carries = (settings: NotificationSettings, channel: OptionalChannel, type: NotificationType): boolean =>
  settings.channels[channel].includes(type);

/**
 * A bidding war outbids the same person many times a minute. The inbox and the live stream get every
 * outbid, but mail says it at most once per auction in this long: one mail brings them back, a dozen
 * teach them to ignore us.
 */
export const OUTBID_EMAIL_QUIET_MINUTES = 15;
