import { useEffect, useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { me } from '../session';
import { ErrorNote } from './error-note';

/** Watch or unwatch an auction; the API's watchlist is the record of which. */
export function WatchButton({ auctionId, watchers }: { auctionId: string; watchers: number }) {
  const [watching, setWatching] = useState<boolean | null>(null);
  const [count, setCount] = useState(watchers);
  const [error, setError] = useState<unknown>(null);
  const user = me.value;

  useEffect(() => {
    if (!user) return;
    call(() => api.GET('/v1/users/me/watchlist', { params: { query: { limit: 100 } } })).then(
      (page) => setWatching(page.items.some((item) => item.id === auctionId)),
      () => setWatching(false),
    );
  }, [auctionId, user?.id]);

  if (!user || watching === null) return <p class="muted">{count} watching</p>;
  const toggle = async () => {
    setError(null);
    try {
      const path = { params: { path: { auctionId } } };
      if (watching) await call(() => api.DELETE('/v1/users/me/watchlist/{auctionId}', path));
      else await call(() => api.PUT('/v1/users/me/watchlist/{auctionId}', path));
      setCount((n) => n + (watching ? -1 : 1));
      setWatching(!watching);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <p>
      <button type="button" class="secondary" aria-pressed={watching} onClick={() => void toggle()}>
        {watching ? 'Watching' : 'Watch'}
      </button>{' '}
      <span class="muted">{count} watching</span>
      <ErrorNote error={error} />
    </p>
  );
}
