/**
 * A second-chance offer (docs/settlement.md): after the winner left the lot unpaid, the seller offers it
 * to the next bidder at that bidder's own maximum, which may be below the reserve; so it is asked first.
 */
import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { money, when } from '../format';
import { useAction } from '../use-action';
import { ErrorNote } from './error-note';

export function SecondChanceButton({ auction }: { auction: Schemas['Auction'] }) {
  const [asking, setAsking] = useState(false);
  const [offer, setOffer] = useState<Schemas['SecondChanceOffer'] | null>(null);
  const { busy, error, run } = useAction();
  if (offer)
    return (
      <p role="status">
        Offered to the next bidder for {money(offer.amount, offer.currency)}, open until {when(offer.expiresAt)}.
      </p>
    );
  if (!asking)
    return (
      <button type="button" class="secondary" onClick={() => setAsking(true)}>
        Offer to the next bidder…
      </button>
    );
  return (
    <div class="actions">
      <p>The next bidder is offered the lot at their own maximum bid, even if that is below your reserve.</p>
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          run(async () => {
            const path = { params: { path: { id: auction.id } }, body: {} };
            setOffer(await call(() => api.POST('/v1/auctions/{id}/second-chance', path)));
          })
        }
      >
        Send the offer
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Not now
      </button>
      <ErrorNote error={error} />
    </div>
  );
}
