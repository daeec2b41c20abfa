/** The auctions the signed-in person watches, newest watched first, each with its price, time left and "Unwatch". */
import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { ErrorNote } from '../components/error-note';
import { ShowMore } from '../components/show-more';
import { SignInFirst } from '../components/sign-in-first';
import { money, timeLeft } from '../format';
import { useNow } from '../live';
import { usePaged } from '../paged';
import { me } from '../session';

type Watched = Schemas['WatchedAuction'];

export function Watchlist() {
  const user = me.value;
  const [error, setError] = useState<unknown>(null);
  const [removed, setRemoved] = useState<string | null>(null);
  const list = usePaged(
    (cursor) => call(() => api.GET('/v1/users/me/watchlist', { params: { query: { cursor, limit: 20 } } })),
    user?.id ?? null,
  );
  if (!user) return <SignInFirst />;

  const unwatch = async (auction: Watched) => {
    setError(null);
    try {
      await call(() =>
        api.DELETE('/v1/users/me/watchlist/{auctionId}', { params: { path: { auctionId: auction.id } } }),
      );
      list.setItems((items) => items.filter((item) => item.id !== auction.id));
      setRemoved(auction.title);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section aria-labelledby="watchlist-title">
      <h1 id="watchlist-title">Watchlist</h1>
      <p role="status" class="muted">
        {removed === null ? '' : `“${removed}” is no longer on your watchlist.`}
      </p>
      <ErrorNote error={error} />
      {list.items === null ? (
        list.error ? null : (
          <p aria-busy="true">Loading your watchlist…</p>
        )
      ) : list.items.length === 0 ? (
        <p>
          You are not watching any auction. Open one and press “Watch” to follow it here. <a href="/">Browse</a>
        </p>
      ) : (
        <WatchedList auctions={list.items} onUnwatch={(a) => void unwatch(a)} />
      )}
      <ShowMore list={list} what="auctions" />
    </section>
  );
}

function WatchedList({ auctions, onUnwatch }: { auctions: Watched[]; onUnwatch: (auction: Watched) => void }) {
  const now = useNow();
  return (
    <ul class="cards" data-testid="watchlist">
      {auctions.map((auction) => (
        <li key={auction.id} class="card" data-testid="watched">
          <a href={`/auctions/${auction.id}`} class="card-link">
            <h2 class="card-title">{auction.title}</h2>
          </a>
          <p class="price">
            {money(auction.currentPrice, auction.currency)}
            <span class="muted">
              {' '}
              · {auction.bidCount} {auction.bidCount === 1 ? 'bid' : 'bids'}
            </span>
          </p>
          <p class="muted">{statusLine(auction, now)}</p>
          <button
            type="button"
            class="secondary"
            onClick={() => onUnwatch(auction)}
            aria-label={`Unwatch ${auction.title}`}
          >
            Unwatch
          </button>
        </li>
      ))}
    </ul>
  );
}

function statusLine(auction: Watched, now: number): string {
  switch (auction.status) {
    case 'scheduled':
      return `Starts in ${timeLeft(Date.parse(auction.startsAt), now) ?? 'a moment'}`;
    case 'cancelled':
      return 'Cancelled';
    case 'closed':
      return 'Ended';
    default: {
      const left = timeLeft(Date.parse(auction.endsAt), now);
      return left === null ? 'Closing…' : `Ends in ${left}`;
    }
  }
}
