import type { Paged } from '../paged';
import { ErrorNote } from './error-note';

/** The end of a paged list: its error, and the button for the next page while there is one. */
export function ShowMore<T>({ list, what }: { list: Paged<T>; what: string }) {
  return (
    <>
      <ErrorNote error={list.error} />
      {list.items.length === 0 && !list.loading && list.error === null && <p class="muted">No {what} yet.</p>}
      {list.loading && <p aria-busy="true">Loading {what}…</p>}
      {list.more && !list.loading && (
        <button type="button" class="secondary" onClick={list.more}>
          Show more {what}
        </button>
      )}
    </>
  );
}
