/**
 * A notification in plain words, and where it leads: one sentence per type, from the fields each type's
 * `data` carries (domain/notifications/types.ts, and the settlement's and sales' notices). The fields
 * are read defensively: `data` is open-ended in the API's schema, and a missing one leaves a gap in the
 * sentence rather than breaking the inbox.
 */
import type { Schemas } from './api/client';
import { money, when } from './format';

type Notification = Schemas['Notification'];
type Data = Notification['data'];

export interface NotificationText {
  text: string;
  /** Where acting on it happens: the auction, the order, the offer; null when there is nowhere to go. */
  link: { href: string; label: string } | null;
}

const text = (d: Data, key: string): string | null => {
  const value = d[key];
  return typeof value === 'string' ? value : null;
};
const amount = (d: Data, key: string): string => {
  const value = d[key];
  return typeof value === 'number' ? money(value, text(d, 'currency') ?? 'USD') : 'an amount';
};
const time = (d: Data, key: string): string => {
  const iso = text(d, key);
  return iso === null ? 'the deadline' : when(iso);
};

export function notificationText(notification: Notification): NotificationText {
  const d = notification.data;
  const title = `“${d.title}”`;
  const auction = notification.auctionId === null ? null : `/auctions/${notification.auctionId}`;
  const orderId = text(d, 'orderId');
  const order = orderId === null ? null : `/orders/${orderId}`;
  const offerId = text(d, 'offerId');
  const seller = text(d, 'role') === 'seller';
  const toAuction = auction === null ? null : { href: auction, label: 'View the auction' };
  const toOrder = order === null ? toAuction : { href: order, label: 'View the order' };

  switch (notification.type) {
    case 'outbid':
      return {
        text: `You were outbid on ${title}: the price is now ${amount(d, 'currentPrice')}. Bid at least ${amount(d, 'minimumNextBid')} to lead again.`,
        link: auction === null ? null : { href: auction, label: 'Bid again' },
      };
    case 'bid_doubled':
      return {
        text: `A promotion doubled your maximum on ${title} from ${amount(d, 'ownMaximum')} to ${amount(d, 'doubledMaximum')}, at the house's expense: if you win, you never pay more than your own maximum would have cost.`,
        link: toAuction,
      };
    case 'auction_won':
      return { text: `You won ${title} for ${amount(d, 'finalPrice')}.`, link: toAuction };
    case 'auction_lost':
      return { text: `${title} has ended and you did not win it.`, link: toAuction };
    case 'auction_ended': {
      const outcome = text(d, 'outcome');
      const result =
        outcome === 'sold'
          ? `It sold for ${amount(d, 'finalPrice')}.`
          : outcome === 'reserve_not_met'
            ? 'The reserve was not met, so it did not sell.'
            : 'Nobody bid, so it did not sell.';
      return { text: `Your auction ${title} has ended. ${result}`, link: toAuction };
    }
    case 'auction_ending_soon': {
      const minutes = typeof d.minutesLeft === 'number' ? d.minutesLeft : null;
      return {
        text: `${title} ends ${minutes === null ? 'soon' : `in less than ${minutes} minutes`} (${time(d, 'endsAt')}). The price is ${amount(d, 'currentPrice')}.`,
        link: toAuction,
      };
    }
    case 'auction_started':
      return {
        text: `${title}, on your watchlist, is open for bids from ${amount(d, 'minimumNextBid')}.`,
        link: toAuction,
      };
    case 'auction_cancelled': {
      const reason = text(d, 'reason');
      return {
        text: `${title} was cancelled${reason ? `: ${reason}` : ''}. Bids on it no longer count.`,
        link: toAuction,
      };
    }
    case 'payment_due':
      return {
        text: `Please pay ${amount(d, 'total')} for ${title} by ${time(d, 'payBy')}.`,
        link: toOrder,
      };
    case 'payment_reminder':
      return {
        text: `Reminder: your order for ${title} (${amount(d, 'total')}) is not paid yet. Please pay by ${time(d, 'payBy')}.`,
        link: toOrder,
      };
    case 'order_paid':
      return {
        text: seller
          ? `The buyer of ${title} has paid ${amount(d, 'total')}. Your payout is recorded.`
          : `Thank you: we received ${amount(d, 'total')} for ${title}.`,
        link: seller ? toAuction : toOrder,
      };
    case 'order_unpaid':
      return {
        text: seller
          ? `The buyer of ${title} did not pay by ${time(d, 'payBy')}. You may offer it to the next bidder, or relist it.`
          : `You did not pay for ${title} by ${time(d, 'payBy')}: the order has expired.`,
        link: seller ? toAuction : toOrder,
      };
    case 'order_cancelled': {
      const reason = text(d, 'reason');
      return {
        text: `The order for ${title} was cancelled${reason ? `: ${reason}` : ''}. Nothing is owed.`,
        link: seller ? toAuction : toOrder,
      };
    }
    case 'second_chance_offer':
      return {
        text: `A second chance at ${title}: the seller offers it to you at your maximum bid, ${amount(d, 'amount')}, until ${time(d, 'expiresAt')}.`,
        link: offerId === null ? toAuction : { href: `/offers/${offerId}`, label: 'See the offer' },
      };
    case 'second_chance_answered': {
      const status = text(d, 'offerStatus') ?? 'answered';
      return { text: `Your second-chance offer of ${title} at ${amount(d, 'amount')} was ${status}.`, link: toAuction };
    }
    case 'waitlist_offer': {
      const quantity = typeof d.quantity === 'number' ? d.quantity : 'Some';
      return {
        text: `Units of ${title} came back: ${quantity} held for you, ${amount(d, 'total')} in all, until ${time(d, 'payBy')}.`,
        link: order === null ? null : { href: order, label: 'View the order' },
      };
    }
  }
}
