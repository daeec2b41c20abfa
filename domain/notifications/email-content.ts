/**
 * What a notification email says: a subject, a text part and an HTML part, each with the auction's
 * link (or, for a flash sale's order, the order's) and the one-click unsubscribe link for this type.
 * Pure: the sender supplies the links.
 */
import escapeHtml from 'escape-html';
import { moneyText } from '../people-format.js';
import type { Notification, NotificationType } from './types.js';

export interface EmailLinks {
  auction: string | null;
  /** A flash sale's order, which has no auction to link to. */
  order?: string | null;
  unsubscribe: string;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const TYPE_NAMES: Record<NotificationType, string> = {
  outbid: 'outbid alerts',
  auction_won: 'won-auction notices',
  auction_lost: 'lost-auction notices',
  auction_ended: 'notices when your auctions end',
  auction_ending_soon: 'ending-soon reminders',
  auction_started: 'auction-start notices',
  auction_cancelled: 'cancellation notices',
  payment_due: 'payment requests',
  payment_reminder: 'payment reminders',
  order_paid: 'payment confirmations',
  order_unpaid: 'unpaid-order notices',
  order_cancelled: 'order cancellation notices',
  second_chance_offer: 'second-chance offers',
  second_chance_answered: 'second-chance answers',
  waitlist_offer: 'waitlist offers',
  bid_doubled: 'promotion notices',
};

function lines(notification: Notification): { subject: string; body: string[] } {
  const d = notification.data;
  const money = (amount: number | null | undefined) =>
    amount === null || amount === undefined ? '' : moneyText(amount, d.currency ?? 'USD');
  const title = `“${d.title}”`;
  switch (notification.type) {
    case 'outbid':
      return {
        subject: `You have been outbid on ${title}`,
        body: [
          `Someone bid more than your maximum on ${title}. The price is now ${money(d.currentPrice)}.`,
          `Bid at least ${money(d.minimumNextBid)} to take the lead back before it ends at ${d.endsAt}.`,
        ],
      };
    case 'bid_doubled':
      return {
        subject: `We doubled your maximum bid on ${title}`,
        body: [
          `A Gavel promotion doubled your maximum bid on ${title} from ${money(d.ownMaximum)} to ${money(d.doubledMaximum)}, at our expense.`,
          `If you win, you never pay more than your own maximum would have cost you: we pay the rest. The price is now ${money(d.currentPrice)}.`,
        ],
      };
    case 'auction_won':
      return {
        subject: `You won ${title}`,
        body: [`You won ${title} for ${money(d.finalPrice)}.`],
      };
    case 'auction_lost':
      return {
        subject: `${title} has ended`,
        body: [`${title} has ended and you did not win it.`],
      };
    case 'auction_ended': {
      const result =
        d.outcome === 'sold'
          ? `It sold for ${money(d.finalPrice)}.`
          : d.outcome === 'reserve_not_met'
            ? 'The reserve was not met, so it did not sell.'
            : 'Nobody bid, so it did not sell.';
      return { subject: `Your auction ${title} has ended`, body: [`Your auction ${title} has ended. ${result}`] };
    }
    case 'auction_ending_soon':
      return {
        subject: `${title} ends in less than ${d.minutesLeft} minutes`,
        body: [
          `${title} ends at ${d.endsAt}. The price is ${money(d.currentPrice)}; the next bid is at least ${money(d.minimumNextBid)}.`,
        ],
      };
    case 'auction_started':
      return {
        subject: `${title} is open for bids`,
        body: [`${title}, on your watchlist, is open. Bidding starts at ${money(d.minimumNextBid)}.`],
      };
    case 'auction_cancelled':
      return {
        subject: `${title} was cancelled`,
        body: [`${title} was cancelled${d.reason ? `: ${d.reason}` : ''}. Any bids on it no longer count.`],
      };
    case 'payment_due':
      return {
        subject: `Please pay for ${title} by ${d.payBy}`,
        body: [
          `You won ${title}. The hammer price is ${money(d.hammerPrice)}, the buyer's premium ${money(d.buyersPremium)}: ` +
            `${money(d.total)} in all, to be paid by ${d.payBy}.`,
        ],
      };
    case 'payment_reminder':
      return {
        subject: `Reminder: ${title} is to be paid by ${d.payBy}`,
        body: [`Your order for ${title} (${money(d.total)}) is not paid yet. Please pay by ${d.payBy}.`],
      };
    case 'order_paid':
      return d.role === 'seller'
        ? {
            subject: `${title} has been paid for`,
            body: [`The buyer of ${title} has paid ${money(d.total)}. Your payout is recorded.`],
          }
        : {
            subject: `Payment received for ${title}`,
            body: [`Thank you: we received ${money(d.total)} for ${title}.`],
          };
    case 'order_unpaid':
      return d.role === 'seller'
        ? {
            subject: `${title} was not paid for`,
            body: [
              `The buyer of ${title} did not pay by ${d.payBy}. You may offer it to the next bidder, or relist it.`,
            ],
          }
        : {
            subject: `Your order for ${title} has expired`,
            body: [
              `You did not pay for ${title} by ${d.payBy}, so the order has expired and counts as an unpaid item.`,
            ],
          };
    case 'order_cancelled':
      return {
        subject: `The order for ${title} was cancelled`,
        body: [`The order for ${title} was cancelled${d.reason ? `: ${d.reason}` : ''}. Nothing is owed.`],
      };
    case 'second_chance_offer':
      return {
        subject: `A second chance at ${title}`,
        body: [
          `The winner of ${title} did not pay. The seller offers it to you at your maximum bid, ${money(d.amount)}, ` +
            `until ${d.expiresAt}.`,
        ],
      };
    case 'second_chance_answered':
      return {
        subject: `Your second-chance offer for ${title} was ${d.offerStatus}`,
        body: [`Your offer of ${title} at ${money(d.amount)} was ${d.offerStatus}.`],
      };
    case 'waitlist_offer':
      return {
        subject: `Units of ${title} came back: ${d.quantity} held for you`,
        body: [
          `You were on the waitlist for ${title}, and units came back: ${d.quantity} are held for you, ` +
            `${money(d.total)} in all, until ${d.payBy}. Pay by then to buy them; after that they go to the next buyer.`,
        ],
      };
  }
}

/** The one link a mail leads to: the auction, or a sale's order. */
function viewLink(links: EmailLinks): { label: string; url: string } | null {
  if (links.auction) return { label: 'View the auction', url: links.auction };
  if (links.order) return { label: 'View the order', url: links.order };
  return null;
}

export function emailContent(notification: Notification, links: EmailLinks): EmailContent {
  const { subject, body } = lines(notification);
  const stop = `To stop ${TYPE_NAMES[notification.type]} by email, unsubscribe: ${links.unsubscribe}`;
  const view = viewLink(links);
  const text = [...body, ...(view ? ['', `${view.label}: ${view.url}`] : []), '', stop, ''].join('\n');
  const html = [
    '<!doctype html><html><body>',
    ...body.map((line) => `<p>${escapeHtml(line)}</p>`),
    view ? `<p><a href="${escapeHtml(view.url)}">${escapeHtml(view.label)}</a></p>` : '',
    `<p style="color:#666;font-size:small">To stop ${escapeHtml(TYPE_NAMES[notification.type])} by email, ` +
      `<a href="${escapeHtml(links.unsubscribe)}">unsubscribe</a>.</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
