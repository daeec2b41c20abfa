/**
 * Taking one's bids back (docs/api.md, "Retracting bids"): asked first, with one of the three reasons the
 * API accepts and what a retraction does. The API decides by eBay's rules; a refusal (too late, once
 * already, too many lately) is shown in its own words.
 */
import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { textField } from '../form-data';
import { useAction } from '../use-action';
import { ErrorNote } from './error-note';

type Reason = Schemas['RetractionRequest']['reason'];

const REASONS: readonly [Reason, string][] = [
  ['wrong_amount', 'I entered the wrong amount'],
  ['item_changed', 'The seller changed the item after I bid'],
  ['seller_unreachable', 'I cannot reach the seller'],
];

const isReason = (value: string): value is Reason => REASONS.some(([reason]) => reason === value);

interface Props {
  auctionId: string;
  onRetracted: (retraction: Schemas['Retraction']) => void;
}

export function RetractForm({ auctionId, onRetracted }: Props) {
  const [asking, setAsking] = useState(false);
  const { busy, error, run } = useAction();
  if (!asking)
    return (
      <button type="button" class="secondary" onClick={() => setAsking(true)}>
        Retract my bids…
      </button>
    );
  return (
    <form
      aria-label="Retract my bids"
      onSubmit={async (event) => {
        event.preventDefault();
        const reason = textField(new FormData(event.currentTarget), 'reason');
        const done = await run(async () => {
          if (!isReason(reason)) throw new Error('Choose why you retract.');
          const path = { params: { path: { id: auctionId } }, body: { reason } };
          onRetracted(await call(() => api.POST('/v1/auctions/{id}/retractions', path)));
        });
        if (done) setAsking(false);
      }}
    >
      <fieldset>
        <legend>Why do you retract?</legend>
        {REASONS.map(([value, label]) => (
          <label class="choice" key={value}>
            <input type="radio" name="reason" value={value} required />
            {label}
          </label>
        ))}
      </fieldset>
      <p class="muted">
        With 12 hours or more left, all your bids here are taken back; with less, only your last bid, within an hour of
        placing it. Once per auction, and sellers see how often you retract.
      </p>
      <button type="submit" class="danger" disabled={busy}>
        Yes, retract
      </button>{' '}
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Keep my bids
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
