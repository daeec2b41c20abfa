/**
 * One of the seller's auctions with what may be done with it now: cancel while it runs; relist once it
 * ended without a sale, or sold but nothing is paid or due; offer it to the next bidder when the
 * winner's order lapsed unpaid. The API has the last word (a 409 says why not), shown in place.
 */
import { api, call, type Schemas } from '../api/client';
import { money, when } from '../format';
import { CancelForm } from './cancel-form';
import { RelistForm } from './relist-form';
import { SecondChanceButton } from './second-chance-button';

type Auction = Schemas['Auction'];
export type OrderStatus = Schemas['Order']['status'];

const OUTCOME = { sold: 'Sold', unsold: 'Ended unsold', reserve_not_met: 'Ended, reserve not met' } as const;

function statusOf(auction: Auction): string {
  if (auction.status === 'scheduled') return `Starts ${when(auction.startsAt)}`;
  if (auction.status === 'open') return `Open until ${when(auction.endsAt)}`;
  if (auction.status === 'cancelled') return 'Cancelled';
  return auction.result ? OUTCOME[auction.result.outcome] : 'Ended';
}

interface Props {
  auction: Auction;
  /** The statuses of the orders made for this lot (the winner's, and any second chance's). */
  orders: OrderStatus[];
  onChange: (auction: Auction) => void;
  onRelisted: (created: Auction) => void;
}

export function MyAuctionItem({ auction, orders, onChange, onRelisted }: Props) {
  const live = auction.status === 'scheduled' || auction.status === 'open';
  const sold = auction.status === 'closed' && auction.result?.outcome === 'sold';
  const settled = orders.some((status) => status === 'paid' || status === 'awaiting_payment');
  const lapsed = sold && !settled && orders.includes('expired');
  const relistable = auction.status === 'closed' && (!sold || lapsed);
  return (
    <li class="card" data-testid="my-auction">
      <h3>
        <a href={`/auctions/${auction.id}`}>{auction.title}</a>
      </h3>
      <p data-testid="status">{statusOf(auction)}</p>
      <p>
        <span class="price">{money(auction.result?.finalPrice ?? auction.currentPrice, auction.currency)}</span>
        <span class="muted">
          {' '}
          · {auction.bidCount} {auction.bidCount === 1 ? 'bid' : 'bids'}
        </span>
      </p>
      {sold && settled && <p class="muted">{orders.includes('paid') ? 'Paid' : 'Awaiting payment'}</p>}
      {lapsed && <p class="muted">The winner did not pay.</p>}
      <div class="actions">
        {live && (
          <CancelForm
            title={auction.title}
            onCancel={async (reason) =>
              onChange(
                await call(() =>
                  api.POST('/v1/auctions/{id}/cancel', { params: { path: { id: auction.id } }, body: { reason } }),
                ),
              )
            }
          />
        )}
        {lapsed && <SecondChanceButton auction={auction} />}
        {relistable && <RelistForm auction={auction} onRelisted={onRelisted} />}
      </div>
    </li>
  );
}
