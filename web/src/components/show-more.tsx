import type { Paged } from '../paged';
import { ErrorNote } from './error-note';

/** The end of a paged list: its error, "Show more" while there is more, and a busy note while loading. */
export function ShowMore<T>({ list, what }: { list: Paged<T>; what: string }) {
  return (
    <div class="show-more">
      <ErrorNote error={list.error} />
      {list.hasMore && (
        <button type="button" class="secondary" disabled={list.loading} onClick={list.showMore}>
          {list.loading ? 'Loading…' : `Show more ${what}`}
        </button>
      )}
    </div>
  );
}
