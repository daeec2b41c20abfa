/**
 * A second-chance offer: the winner did not pay, so the seller offers the lot to this bidder at their
 * own maximum. The bidder accepts (an order to pay follows) or declines, before it expires. The
 * second_chance_offer notification links here.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { ErrorNote } from '../components/error-note';
import { ItemLink } from '../components/item-link';
import { PayButton } from '../components/pay-button';
import { SignInFirst } from '../components/sign-in-first';
import { money, timeLeft, when } from '../format';
import { useNow } from '../live';
import { me } from '../session';
import { useAction } from '../use-action';

type Offer = Schemas['SecondChanceOffer'];

const STATUS: Record<Offer['status'], string> = {
  open: 'Open',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Expired',
};

export function OfferPage({ id }: { id: string }) {
  const user = me.value;
  const [offer, setOffer] = useState<Offer | null>(null);
  const [order, setOrder] = useState<Schemas['Order'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { busy, error: answerError, run } = useAction();
  const now = useNow();

  useEffect(() => {
    if (!user) return;
    call(() => api.GET('/v1/offers/{id}', { params: { path: { id } } })).then(setOffer, setError);
  }, [id, user?.id]);

  if (!user) return <SignInFirst />;
  if (!offer) return error ? <ErrorNote error={error} /> : <p aria-busy="true">Loading the offer…</p>;

  const answer = (accept: boolean) =>
    run(async () => {
      const path = { params: { path: { id: offer.id } } };
      const answered = await call(() =>
        accept ? api.POST('/v1/offers/{id}/accept', path) : api.POST('/v1/offers/{id}/decline', path),
      );
      setOffer(answered.offer);
      setOrder(answered.order);
    });

  const isBidder = user.id === offer.bidderId;
  const left = timeLeft(Date.parse(offer.expiresAt), now);
  const open = offer.status === 'open' && left !== null;
  const orderId = order?.id ?? offer.orderId;
  return (
    <section aria-labelledby="offer-title">
      <h1 id="offer-title">Second-chance offer</h1>
      <p>
        <ItemLink auctionId={offer.auctionId} saleId={null} />
      </p>
      <p>
        The winner did not pay, so the seller offers the lot {isBidder ? 'to you' : 'to the next bidder'} at{' '}
        {isBidder ? 'your' : 'their'} own maximum bid.
      </p>
      <dl class="terms">
        <dt>Price</dt>
        <dd class="price" data-testid="offer-amount">
          {money(offer.amount, offer.currency)}
        </dd>
        <dt>Status</dt>
        <dd data-testid="offer-status">{offer.status === 'open' && !left ? 'Expired' : STATUS[offer.status]}</dd>
        <dt>{offer.status === 'open' ? 'Open until' : 'Was open until'}</dt>
        <dd>
          <time dateTime={offer.expiresAt}>{when(offer.expiresAt)}</time>
          {open && <span class="muted"> ({left} left)</span>}
        </dd>
      </dl>
      {isBidder && open && (
        <p class="actions">
          <button type="button" disabled={busy} onClick={() => void answer(true)}>
            Accept and buy for {money(offer.amount, offer.currency)}
          </button>{' '}
          <button type="button" class="secondary" disabled={busy} onClick={() => void answer(false)}>
            Decline
          </button>
        </p>
      )}
      <ErrorNote error={answerError} />
      <p role="status" data-testid="offer-answer">
        {offer.status === 'accepted' && isBidder
          ? 'You accepted: your order is waiting for payment.'
          : offer.status === 'declined' && isBidder
            ? 'You declined this offer.'
            : ''}
      </p>
      {isBidder && offer.status === 'accepted' && orderId !== null && (
        <p>
          {order?.status === 'awaiting_payment' && <PayButton orderId={orderId} />}{' '}
          <a href={`/orders/${orderId}`}>View the order</a>
        </p>
      )}
    </section>
  );
}
