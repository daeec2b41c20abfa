/** Relisting a lot that did not sell: the same lot as a new auction, starting now, for a chosen time. */
import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { ApiError } from '../api/errors';
import { textField } from '../form-data';
import { DURATIONS } from './schedule-fields';
import { useAction } from '../use-action';
import { ErrorNote } from './error-note';

interface Props {
  auction: Schemas['Auction'];
  onRelisted: (created: Schemas['Auction']) => void;
}

export function RelistForm({ auction, onRelisted }: Props) {
  const [asking, setAsking] = useState(false);
  const { busy, error, run } = useAction();
  if (error instanceof ApiError && error.code === 'ALREADY_RELISTED')
    return <a href={`/auctions/${String(error.details.relistedAs)}`}>Relisted already: see the new auction</a>;
  if (!asking)
    return (
      <button type="button" class="secondary" onClick={() => setAsking(true)}>
        Relist…
      </button>
    );
  return (
    <form
      aria-label={`Relist ${auction.title}`}
      onSubmit={async (event) => {
        event.preventDefault();
        const duration = textField(new FormData(event.currentTarget), 'duration') as keyof typeof DURATIONS;
        const endsAt = new Date(Date.now() + DURATIONS[duration][1]).toISOString();
        const relisted = await run(async () => {
          const path = { params: { path: { id: auction.id } }, body: { endsAt } };
          onRelisted(await call(() => api.POST('/v1/auctions/{id}/relist', path)));
        });
        if (relisted) setAsking(false);
      }}
    >
      <label>
        New auction runs for
        <select name="duration" defaultValue="7d">
          {Object.entries(DURATIONS).map(([value, [label]]) => (
            <option value={value}>{label}</option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy}>
        Relist now
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Not now
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
