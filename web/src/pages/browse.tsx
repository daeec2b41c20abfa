/**
 * The listing: search, filters and sort from the discovery API, in the URL so a view can be shared;
 * more results as the reader scrolls (the API's cursor). The first page is read again every few
 * seconds so the prices and counts on screen stay current.
 */
import { textField } from '../form-data';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, call, type Schemas } from '../api/client';
import type { operations } from '../api/schema';
import { ListingCard } from '../components/listing-card';
import { ErrorNote } from '../components/error-note';
import { CATEGORIES, categoryLabel, categoryOf } from '../listing-options';
import { useNow } from '../live';

type Query = NonNullable<operations['listAuctions']['parameters']['query']>;
type Item = Schemas['ListingPage']['items'][number];

const SORTS = {
  ending_soonest: 'Ending soonest',
  newest: 'Newest',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
  most_bids: 'Most bids',
} as const;
const PAGE = 24;
const REFRESH_MS = 10_000;

function queryOf(params: Record<string, string>): Query {
  const query: Query = { limit: PAGE, status: 'open' };
  if (params.q) query.q = params.q;
  if (params.kind === 'auction' || params.kind === 'sale') query.kind = params.kind;
  const category = params.category ? categoryOf(params.category) : undefined;
  if (category) query.category = category;
  if (params.sort && params.sort in SORTS) query.sort = params.sort as keyof typeof SORTS;
  if (params.status === 'scheduled' || params.status === 'closed') query.status = params.status;
  return query;
}

export function Browse() {
  const { query: params, route, path } = useLocation();
  const query = queryOf(params);
  const key = JSON.stringify(query);
  const [items, setItems] = useState<Item[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const now = useNow();

  const load = async (after: string | null) => {
    setLoading(true);
    try {
      const page = await call(() =>
        api.GET('/v1/auctions', { params: { query: after ? { ...query, cursor: after } : query } }),
      );
      setItems((known) => (after ? [...known, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(null);
    // Fresh prices for what the first page shows; what was scrolled to keeps its place.
    const refresh = () =>
      call(() => api.GET('/v1/auctions', { params: { query } })).then(
        (page) => {
          const fresh = new Map(page.items.map((item) => [item.id, item]));
          setItems((known) => known.map((item) => fresh.get(item.id) ?? item));
        },
        () => undefined, // the next tick tries again
      );
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [key]);

  useEffect(() => {
    const target = sentinel.current;
    if (!target || cursor === null) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loading) void load(cursor);
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [cursor, loading, key]);

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    const search = next.toString();
    route(search ? `${path}?${search}` : path, true);
  };

  return (
    <section aria-labelledby="browse-title">
      <h1 id="browse-title">Browse</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          setParam('q', textField(data, 'q').trim());
        }}
      >
        <label>
          Search
          <input type="search" name="q" defaultValue={params.q ?? ''} placeholder="Title or description" />
        </label>
        <button type="submit">Search</button>
        <label>
          Show
          <select value={params.kind ?? ''} onChange={(e) => setParam('kind', e.currentTarget.value)}>
            <option value="">Auctions and sales</option>
            <option value="auction">Auctions</option>
            <option value="sale">Flash sales</option>
          </select>
        </label>
        <label>
          Category
          <select value={params.category ?? ''} onChange={(e) => setParam('category', e.currentTarget.value)}>
            <option value="">All</option>
            {CATEGORIES.map((c) => (
              <option value={c}>{categoryLabel(c)}</option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={params.status ?? ''} onChange={(e) => setParam('status', e.currentTarget.value)}>
            <option value="">Open now</option>
            <option value="scheduled">Coming up</option>
            <option value="closed">Ended</option>
          </select>
        </label>
        <label>
          Sort
          <select value={params.sort ?? 'newest'} onChange={(e) => setParam('sort', e.currentTarget.value)}>
            {Object.entries(SORTS).map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </label>
      </form>
      <ErrorNote error={error} />
      {items.length === 0 && !loading && error === null ? <p>Nothing matches yet.</p> : null}
      <ul class="cards" aria-busy={loading}>
        {items.map((item) => (
          <ListingCard key={item.id} item={item} now={now} />
        ))}
      </ul>
      <div ref={sentinel} />
      {cursor !== null && (
        <button type="button" disabled={loading} onClick={() => void load(cursor)}>
          {loading ? 'Loading…' : 'Show more'}
        </button>
      )}
    </section>
  );
}
