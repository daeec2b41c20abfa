/**
 * The bid form: the maximum a person is willing to pay (the house bids for them up to it), the minimum
 * the next bid must reach, buy-now when the auction has one, and what the price plus the buyer's
 * premium comes to. The API decides; the form shows its answer or its refusal in plain words.
 */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, call, type Schemas } from '../api/client';
import { decimalOf, minorUnitsOf, money } from '../format';
import { me } from '../session';
import type { LiveAuction } from '../pages/auction';
import { useAction } from '../use-action';
import { ErrorNote } from './error-note';

export function BidForm({
  auction,
  onPlaced,
}: {
  auction: LiveAuction;
  onPlaced: (placed: Schemas['PlacedBid']) => void;
}) {
  const { url } = useLocation();
  const [text, setText] = useState('');
  const { busy, error, run } = useAction();
  const [placed, setPlaced] = useState<Schemas['PlacedBid'] | null>(null);
  if (me.value === null) {
    return (
      <p>
        <a href={`/sign-in?next=${encodeURIComponent(url)}`}>Sign in to bid</a>
      </p>
    );
  }
  if (auction.status !== 'open') return <p>Bidding opens when the auction starts.</p>;

  const place = async (amount: number | null, buyNow: boolean) => {
    const placedNow = await run(async () => {
      if (amount === null) {
        throw new Error('Enter an amount such as ' + decimalOf(auction.minimumNextBid, auction.currency));
      }
      const answer = await call(() =>
        api.POST('/v1/auctions/{id}/bids', {
          params: { path: { id: auction.id }, header: { 'Idempotency-Key': crypto.randomUUID() } },
          body: { amount, buyNow },
        }),
      );
      setPlaced(answer);
      setText('');
      onPlaced(answer);
    });
    // A refused bid replaces the last answer; an amount that is no amount leaves it shown.
    if (!placedNow && amount !== null) setPlaced(null);
  };
  const amount = minorUnitsOf(text, auction.currency);
  const premium = (price: number) => Math.round((price * auction.buyersPremiumBps) / 10_000);

  return (
    <div class="bid-form">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void place(amount, false);
        }}
      >
        <label for="bid-amount">Your maximum bid</label>
        <div class="row">
          <input
            id="bid-amount"
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            required
            placeholder={decimalOf(auction.minimumNextBid, auction.currency)}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            aria-describedby="bid-help"
          />
          <button type="submit" disabled={busy}>
            Place bid
          </button>
        </div>
        <p id="bid-help" class="muted">
          Enter {money(auction.minimumNextBid, auction.currency)} or more.
          {amount !== null && auction.buyersPremiumBps > 0 && (
            <>
              {' '}
              If you win at {money(amount, auction.currency)}, you pay{' '}
              {money(amount + premium(amount), auction.currency)} with the buyer's premium.
            </>
          )}
        </p>
      </form>
      {auction.buyNowPrice !== null && (
        <button type="button" class="secondary" disabled={busy} onClick={() => void place(auction.buyNowPrice, true)}>
          Buy now for {money(auction.buyNowPrice, auction.currency)}
        </button>
      )}
      <details>
        <summary>How bidding works</summary>
        <p>
          You enter the most you are willing to pay. Gavel bids for you, one step at a time, only as far as it takes to
          keep you in the lead, so you often pay less than your maximum. Nobody sees your maximum. If someone else's
          maximum is higher, you are outbid and we tell you.
        </p>
        <p>
          The buyer's premium ({auction.buyersPremiumBps / 100}%) is added to the winning price. A bid in the last
          moments may extend the auction (soft close), so everyone gets a fair chance to answer it.
        </p>
      </details>
      <ErrorNote error={error} />
      {/* The answer to this person's bid, until someone else's bid makes it old news. */}
      {placed && placed.seq >= auction.seq && (
        <p role="status" class={placed.leading ? 'leading' : 'outbid'} data-testid="bid-answer">
          {placed.leading
            ? `Your bid is in: you lead at ${money(placed.currentPrice, auction.currency)}.`
            : `Another bidder's maximum is higher: the price is now ${money(placed.currentPrice, auction.currency)}.`}
        </p>
      )}
    </div>
  );
}
