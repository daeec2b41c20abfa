/**
 * A list the API hands out in pages (`{items, nextCursor}`): the first page on mount, the next ones on
 * demand ("Show more"). Items already shown stay, so a person who reads down a long list keeps their place.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Paged<T> {
  /** Null until the first page has come. */
  items: T[] | null;
  setItems: (update: (items: T[]) => T[]) => void;
  hasMore: boolean;
  loading: boolean;
  error: unknown;
  showMore: () => void;
}

/** `load(cursor)` reads one page; `key` names the list (a change starts it again from the first page). */
export function usePaged<T>(load: (cursor: string | undefined) => Promise<Page<T>>, key: string | null): Paged<T> {
  const [items, setAll] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const fetchPage = async (from: string | undefined, reset: boolean) => {
    setLoading(true);
    setError(null);
    try {
      const page = await load(from);
      setAll((known) => (reset || known === null ? page.items : [...known, ...page.items]));
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    if (key === null) return;
    setAll(null);
    setCursor(null);
    void fetchPage(undefined, true);
  }, [key]);

  return {
    items,
    setItems: (update) => setAll((known) => (known === null ? known : update(known))),
    hasMore: cursor !== null,
    loading,
    error,
    showMore: () => {
      if (cursor !== null && !loading) void fetchPage(cursor, false);
    },
  };
}
