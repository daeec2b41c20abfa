/**
 * The audit log (GET /v1/admin/audit), newest first, filtered by actor or target, a page at a time;
 * "More" follows the cursor; "Show" reads it again (a void's entry comes a second or two after its answer).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../../api/client';
import { textField } from '../../form-data';
import { when } from '../../format';
import { ErrorNote } from '../error-note';

type Entry = Schemas['AuditEntry'];
interface Filters {
  actor?: string;
  target?: string;
}

export function AuditLog() {
  const [filters, setFilters] = useState<Filters>({});
  const [entries, setEntries] = useState<Entry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const page = (after: string | null) =>
    call(() =>
      api.GET('/v1/admin/audit', { params: { query: { ...filters, limit: 20, ...(after ? { cursor: after } : {}) } } }),
    );

  useEffect(() => {
    let cancelled = false;
    page(null).then(
      (first) => {
        if (cancelled) return;
        setEntries(first.items);
        setCursor(first.nextCursor);
        setError(null);
      },
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [filters]);

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <form
        aria-label="Filter the audit log"
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          const [actor, target] = [textField(data, 'actor').trim(), textField(data, 'target').trim()];
          setFilters({ ...(actor ? { actor } : {}), ...(target ? { target } : {}) });
        }}
      >
        <label>
          By (an admin's id)
          <input name="actor" autoComplete="off" />
        </label>
        <label>
          About (a user, auction, sale, order or promotion id)
          <input name="target" autoComplete="off" />
        </label>
        <button type="submit" class="secondary">
          Show
        </button>
      </form>
      <ErrorNote error={error} />
      {entries.length === 0 ? (
        <p class="muted">No entries.</p>
      ) : (
        <div class="table-scroll">
          <table class="stack" data-testid="audit-log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">About</th>
                <th scope="col">By</th>
                <th scope="col">Reason</th>
                <th scope="col">Request</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td data-label="When">{when(entry.at)}</td>
                  <td data-label="Action">{entry.action}</td>
                  <td data-label="About">
                    {entry.targetType} {entry.targetId}
                  </td>
                  <td data-label="By">{entry.actorId ?? 'system'}</td>
                  <td data-label="Reason">{entry.reason ?? ''}</td>
                  <td data-label="Request">{entry.requestId ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button
          type="button"
          class="secondary"
          onClick={() =>
            page(cursor).then(
              (next) => {
                setEntries((shown) => [...shown, ...next.items]);
                setCursor(next.nextCursor);
              },
              (e: unknown) => setError(e),
            )
          }
        >
          More
        </button>
      )}
    </section>
  );
}
