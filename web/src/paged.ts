/** A list read page by page with the API's cursors: the first page on mount, more on demand. */
import { useEffect, useState } from 'preact/hooks';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Paged<T> {
  items: T[];
  /** Replaces the items shown (after an action changed one). */
  setItems: (update: (items: T[]) => T[]) => void;
  /** Loads the next page; null on the last. */
  more: (() => void) | null;
  loading: boolean;
  error: unknown;
}

export function usePaged<T>(read: (cursor: string | undefined) => Promise<Page<T>>): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = async (after: string | undefined) => {
    setLoading(true);
    try {
      const page = await read(after);
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
    void load(undefined);
  }, []);

  return { items, setItems, more: cursor === null ? null : () => void load(cursor), loading, error };
}
