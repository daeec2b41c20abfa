/**
 * What a notification email says: a subject, a text part and an HTML part, each with the auction's
 * link and the one-click unsubscribe link for this type. Pure: the sender supplies the links.
 */
import escapeHtml from 'escape-html';
import { moneyText } from './money-text.js';
import type { Notification, NotificationType } from './types.js';

export interface EmailLinks {
  auction: string | null;
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
  }
}

export function emailContent(notification: Notification, links: EmailLinks): EmailContent {
  const { subject, body } = lines(notification);
  const stop = `To stop ${TYPE_NAMES[notification.type]} by email, unsubscribe: ${links.unsubscribe}`;
  const text = [...body, ...(links.auction ? ['', `View the auction: ${links.auction}`] : []), '', stop, ''].join('\n');
  const html = [
    '<!doctype html><html><body>',
    ...body.map((line) => `<p>${escapeHtml(line)}</p>`),
    links.auction ? `<p><a href="${escapeHtml(links.auction)}">View the auction</a></p>` : '',
    `<p style="color:#666;font-size:small">To stop ${escapeHtml(TYPE_NAMES[notification.type])} by email, ` +
      `<a href="${escapeHtml(links.unsubscribe)}">unsubscribe</a>.</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
