/**
 * The auctions the signed-in person bid on: the price now, their own maximum (only they see it), how
 * they stand (leading, outbid, won, lost) and how long is left, latest bid first.
 */
import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { ShowMore } from '../components/show-more';
import { SignInFirst } from '../components/sign-in-first';
import { money, timeLeft } from '../format';
import { useNow } from '../live';
import { usePaged } from '../paged';
import { me } from '../session';

type MyBid = Schemas['MyBid'];
type Filter = 'all' | 'active' | 'ended';

const FILTERS: { value: Filter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Running' },
  { value: 'ended', label: 'Ended' },
];

export function MyBids() {
  const user = me.value;
  const [filter, setFilter] = useState<Filter>('all');
  const list = usePaged(
    (cursor) =>
      call(() =>
        api.GET('/v1/users/me/bids', {
          params: { query: { cursor, limit: 20, ...(filter === 'all' ? {} : { status: filter }) } },
        }),
      ),
    user ? `${user.id}:${filter}` : null,
  );
  if (!user) return <SignInFirst />;
  return (
    <section aria-labelledby="bids-title">
      <h1 id="bids-title">My bids</h1>
      <div class="segmented" role="group" aria-label="Which auctions">
        {FILTERS.map((f) => (
          <button
            key={f.value}
            type="button"
            class="secondary"
            aria-pressed={filter === f.value}
            onClick={() => setFilter(f.value)}
          >
            {f.label}
          </button>
        ))}
      </div>
      {list.items === null ? (
        list.error ? null : (
          <p aria-busy="true">Loading your bids…</p>
        )
      ) : list.items.length === 0 ? (
        <p>
          No bids here yet. <a href="/">Browse the auctions</a>.
        </p>
      ) : (
        <MyBidTable bids={list.items} />
      )}
      <ShowMore list={list} what="bids" />
    </section>
  );
}

function MyBidTable({ bids }: { bids: MyBid[] }) {
  const now = useNow();
  return (
    <table class="stack" data-testid="my-bids">
      <thead>
        <tr>
          <th scope="col">Auction</th>
          <th scope="col">Current price</th>
          <th scope="col">My maximum</th>
          <th scope="col">Standing</th>
          <th scope="col">Time left</th>
        </tr>
      </thead>
      <tbody>
        {bids.map((bid) => {
          const standing = standingOf(bid);
          return (
            <tr key={bid.auction.id} data-testid="my-bid">
              <td data-label="Auction">
                <a href={`/auctions/${bid.auction.id}`}>{bid.auction.title}</a>
              </td>
              <td data-label="Current price">{money(bid.auction.currentPrice, bid.auction.currency)}</td>
              <td data-label="My maximum">{money(bid.myMaximum, bid.auction.currency)}</td>
              <td data-label="Standing" class={standing.tone} data-testid="standing">
                {standing.text}
              </td>
              <td data-label="Time left">{timeLeftOf(bid.auction, now)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function standingOf(bid: MyBid): { text: string; tone: string } {
  if (bid.won === true) return { text: 'Won', tone: 'leading' };
  if (bid.auction.status === 'cancelled') return { text: 'Cancelled', tone: 'muted' };
  if (bid.won === false) return { text: 'Lost', tone: 'muted' };
  return bid.leading ? { text: 'Leading', tone: 'leading' } : { text: 'Outbid', tone: 'outbid' };
}

function timeLeftOf(auction: Schemas['MyBidAuction'], now: number): string {
  if (auction.status === 'cancelled') return 'Cancelled';
  if (auction.status === 'closed') return 'Ended';
  return timeLeft(Date.parse(auction.endsAt), now) ?? 'Closing…';
}
