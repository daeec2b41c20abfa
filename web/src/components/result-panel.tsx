import { money } from '../format';
import type { LiveAuction } from '../pages/auction';
import { me } from '../session';
import { PayButton } from './pay-button';

/** How the auction ended, and for its winner the way to pay. */
export function ResultPanel({ auction }: { auction: LiveAuction }) {
  if (auction.status === 'cancelled') return <p role="status">The seller cancelled this auction.</p>;
  const result = auction.result;
  if (!result) return <p role="status">The auction has closed; the result is on its way.</p>;
  // The stream's `closed` event names the winner by alias only; the page's own read, by account too.
  const won =
    (auction.viewerAlias !== null && result.winnerAlias === auction.viewerAlias) ||
    (me.value !== null && result.winnerId === me.value.id);
  return (
    <div class="result" role="status" data-testid="result">
      {result.outcome === 'sold' && result.finalPrice !== null ? (
        <p>
          <strong>{won ? 'You won' : 'Sold'}</strong> for {money(result.finalPrice, auction.currency)}.
        </p>
      ) : result.outcome === 'reserve_not_met' ? (
        <p>Ended without a sale: the reserve was not met.</p>
      ) : (
        <p>Ended without bids.</p>
      )}
      {won && result.orderId && (
        <p>
          <a href="/me/orders">Your order</a> is waiting for payment. <PayButton orderId={result.orderId} />
        </p>
      )}
    </div>
  );
}
