/** The watchlist, "my bids" and notification-settings answers, as zod schemas (the document is generated from them). */
import { z } from 'zod';
import { ENDING_SOON_MINUTES } from '../../domain/notifications/ending-soon.js';
import { NOTIFICATION_TYPES } from '../../domain/notifications/types.js';
import { auction } from '../auctions/responses.js';
import { count, instant, money } from '../wire-types.js';

const nextCursor = z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' });

export const watchedAuction = auction
  .extend({ watchedAt: instant.meta({ description: 'When you added it to your watchlist.' }) })
  .meta({ id: 'WatchedAuction', description: 'An auction you watch, with its live state.' });

export const watchlistPage = z
  .object({ items: z.array(watchedAuction), nextCursor })
  .meta({ id: 'WatchlistPage', description: 'Newest watched first.' });

export const myBidAuction = auction
  .pick({ id: true, title: true, status: true, currentPrice: true, minimumNextBid: true, endsAt: true, currency: true })
  .meta({ id: 'MyBidAuction', description: 'The auction, with its live state while it runs.' });

export const myBid = z
  .object({
    auction: myBidAuction,
    myMaximum: money.meta({ description: 'The highest maximum you bid on it: shown to you alone.' }),
    leading: z.boolean().meta({ description: 'You hold the lead (on an ended auction: you held it at the end).' }),
    bidCount: count.meta({ description: 'How many bids you placed on it.' }),
    lastBidAt: instant.meta({ description: 'When you last bid on it: the order of the list, latest first.' }),
    won: z
      .boolean()
      .nullable()
      .meta({ description: 'Once it has ended (closed or cancelled): whether you won it. Null while it runs.' }),
  })
  .meta({ id: 'MyBid', description: 'An auction you bid on, and how you stand on it.' });

export const myBidPage = z.object({ items: z.array(myBid), nextCursor }).meta({ id: 'MyBidPage' });

const typeList = z.array(z.enum(NOTIFICATION_TYPES));

export const notificationSettings = z
  .object({
    channels: z.object({
      inbox: typeList.meta({ description: 'Every type, always.' }),
      live: typeList,
      email: typeList,
      webhook: typeList,
    }),
    endingSoonMinutes: z.literal(ENDING_SOON_MINUTES),
  })
  .meta({ id: 'NotificationSettings', description: 'For each channel, the notification types it carries.' });

export type WatchedAuction = z.infer<typeof watchedAuction>;
export type WatchlistPage = z.infer<typeof watchlistPage>;
export type MyBid = z.infer<typeof myBid>;
export type MyBidPage = z.infer<typeof myBidPage>;
export type NotificationSettingsJson = z.infer<typeof notificationSettings>;
