/**
 * Who hears of what happens to an auction (besides an outbid, which is one bidder's). The SQL that
 * selects the recipients (activities/notifications/audience.ts) follows this table.
 */
import type { NotificationType } from './types.js';

export type AuctionMoment = 'started' | 'ending_soon' | 'cancelled' | 'closed';

/** Who, in each moment, gets which type. */
export type Audience = 'watchers' | 'watchers_and_bidders' | 'winner' | 'losing_bidders' | 'seller';

export const AUDIENCES: Record<AuctionMoment, readonly { audience: Audience; type: NotificationType }[]> = {
  started: [{ audience: 'watchers', type: 'auction_started' }],
  ending_soon: [{ audience: 'watchers_and_bidders', type: 'auction_ending_soon' }],
  cancelled: [{ audience: 'watchers_and_bidders', type: 'auction_cancelled' }],
  closed: [
    { audience: 'winner', type: 'auction_won' },
    { audience: 'losing_bidders', type: 'auction_lost' },
    { audience: 'seller', type: 'auction_ended' },
  ],
};
