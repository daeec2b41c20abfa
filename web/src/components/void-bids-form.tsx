/**
 * An admin's void of one bidder's bids on an open auction (POST /v1/admin/auctions/{id}/voids), asked
 * first with a reason for the audit log. The page hears of it on the auction's stream (`retracted`).
 */
import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { textField } from '../form-data';
import { useAction } from '../use-action';
import { ErrorNote } from './error-note';

export function VoidBidsForm({ auctionId, bidderId, alias }: { auctionId: string; bidderId: string; alias: string }) {
  const [asking, setAsking] = useState(false);
  const { busy, error, run } = useAction();
  if (!asking)
    return (
      <button type="button" class="secondary" onClick={() => setAsking(true)}>
        Void {alias}'s bids…
      </button>
    );
  return (
    <form
      aria-label={`Void ${alias}'s bids`}
      onSubmit={async (event) => {
        event.preventDefault();
        const reason = textField(new FormData(event.currentTarget), 'reason');
        const body = { bidderId, reason };
        const done = await run(async () => {
          await call(() => api.POST('/v1/admin/auctions/{id}/voids', { params: { path: { id: auctionId } }, body }));
        });
        if (done) setAsking(false);
      }}
    >
      <label>
        Why (kept in the audit log)
        <input name="reason" required maxLength={500} />
      </label>
      <button type="submit" class="danger" disabled={busy}>
        Void
      </button>{' '}
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Keep
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
