import type { Schemas } from '../api/client';
import { money, timeLeft } from '../format';

type Item = Schemas['ListedAuction'] | Schemas['ListedSale'];

/** One auction or sale in the listing: what it is, its price now, and how long it has left. */
export function ListingCard({ item, now }: { item: Item; now: number }) {
  const href = item.kind === 'auction' ? `/auctions/${item.id}` : `/sales/${item.id}`;
  const price = item.kind === 'auction' ? item.currentPrice : item.price;
  const ends = item.endsAt === null ? null : Date.parse(item.endsAt);
  const starts = Date.parse(item.startsAt);
  const left = ends === null ? null : timeLeft(ends, now);
  return (
    <li class="card">
      <a href={href} class="card-link">
        <span class="kind">{item.kind === 'auction' ? 'Auction' : 'Flash sale'}</span>
        <h2>{item.title}</h2>
      </a>
      <p class="price">
        {money(price, item.currency)}
        {item.kind === 'auction' && (
          <span class="muted">
            {' '}
            · {item.bidCount} {item.bidCount === 1 ? 'bid' : 'bids'}
          </span>
        )}
        {item.kind === 'sale' && <span class="muted"> · {item.available} left</span>}
      </p>
      <p class="muted">{statusLine(item.status, starts, left, now)}</p>
    </li>
  );
}

function statusLine(status: Item['status'], startsAtMs: number, left: string | null, now: number): string {
  switch (status) {
    case 'scheduled':
      return `Starts in ${timeLeft(startsAtMs, now) ?? 'a moment'}`;
    case 'cancelled':
      return 'Cancelled';
    case 'sold_out':
      return 'Sold out';
    case 'closed':
      return 'Ended';
    default:
      return left === null ? 'Open' : `Ends in ${left}`;
  }
}
