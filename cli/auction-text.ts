/** Auctions, listings and results in words, for the commands that show them. */
import type { Schemas } from './api/client.js';
import { endText, leaderText, money, plain, table, when } from './format.js';

type Auction = Schemas['Auction'];
type Listed = Schemas['ListingPage']['items'][number];

/** The result of a closed auction, in a line. */
export function resultText(
  result: Schemas['AuctionResult'] & { winnerAlias?: string | null },
  currency: string,
): string {
  if (result.outcome === 'sold') {
    const winner = result.winnerAlias ?? result.winnerId ?? 'the winner';
    return `sold to ${winner} for ${money(result.finalPrice ?? 0, currency)}`;
  }
  return result.outcome === 'reserve_not_met' ? 'closed: the reserve was not met' : 'closed unsold (no bids)';
}

/** Where an auction stands: its status, or its price and time left. */
export function standingText(auction: Auction): string {
  if (auction.status === 'cancelled') return 'cancelled';
  if (auction.status === 'closed') return auction.result ? resultText(auction.result, auction.currency) : 'closed';
  const bids = auction.bidCount === 1 ? '1 bid' : `${auction.bidCount} bids`;
  const opens = auction.status === 'scheduled' ? `opens ${when(auction.startsAt)}, ` : '';
  return `${money(auction.currentPrice, auction.currency)}, ${bids}, ${opens}${endText(auction.endsAt)}`;
}

export function auctionDetailText(auction: Schemas['AuctionDetail']): string {
  const lines: [string, string][] = [
    ['id', auction.id],
    ['title', plain(auction.title)],
    ['status', auction.status],
    ['price', money(auction.currentPrice, auction.currency)],
    ['next bid', `at least ${money(auction.minimumNextBid, auction.currency)}`],
    ['leader', leaderText(auction)],
    ['bids', String(auction.bidCount)],
    ['reserve', auction.reserveMet ? 'met' : 'not met (or none)'],
  ];
  if (auction.buyNowPrice !== null) lines.push(['buy now', money(auction.buyNowPrice, auction.currency)]);
  if (auction.category) lines.push(['category', auction.category]);
  lines.push(['starts', when(auction.startsAt)], ['ends', `${when(auction.endsAt)} (${endText(auction.endsAt)})`]);
  if (auction.buyersPremiumBps > 0) lines.push(["buyer's premium", `${auction.buyersPremiumBps / 100}%`]);
  if (auction.result) lines.push(['result', resultText(auction.result, auction.currency)]);
  for (const image of auction.images) lines.push(['image', image.url]);
  if (auction.description) lines.push(['description', plain(auction.description)]);
  const width = Math.max(...lines.map(([label]) => label.length));
  return lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

function listedRow(item: Listed): string[] {
  if (item.kind === 'sale') {
    const ends = item.endsAt === null ? 'until sold out' : endText(item.endsAt);
    return [
      item.id,
      'sale',
      plain(item.title),
      money(item.price, item.currency),
      `${item.available}/${item.stock} left`,
      item.status,
      ends,
    ];
  }
  const bids = item.bidCount === 1 ? '1 bid' : `${item.bidCount} bids`;
  return [
    item.id,
    'auction',
    plain(item.title),
    money(item.currentPrice, item.currency),
    bids,
    item.status,
    endText(item.endsAt),
  ];
}

export function listingText(page: Schemas['ListingPage']): string {
  if (page.items.length === 0) return 'Nothing found.';
  const text = table(['ID', 'KIND', 'TITLE', 'PRICE', 'BIDS/STOCK', 'STATUS', 'ENDS'], page.items.map(listedRow));
  return page.nextCursor ? `${text}\n\nMore: add --cursor ${page.nextCursor}` : text;
}
