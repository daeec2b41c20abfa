/**
 * A flash sale, live: stock from the SSE stream, a claim that holds units for a while (with its
 * countdown and the way to pay), and, once it is sold out, a place on the waitlist.
 */
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, call, type Schemas } from '../api/client';
import { solvedChallengeFor } from '../challenge';
import { ErrorNote } from '../components/error-note';
import { PayButton } from '../components/pay-button';
import { money, timeLeft, when } from '../format';
import { useEventStream, useNow } from '../live';
import { SALE_STATUS } from '../sale-words';
import { me } from '../session';
import { useAction } from '../use-action';

type Sale = Schemas['Sale'];

export function SalePage({ id }: { id: string }) {
  const { url } = useLocation();
  const [sale, setSale] = useState<Sale | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [quantity, setQuantity] = useState(1);
  const [claim, setClaim] = useState<Schemas['SaleClaim'] | null>(null);
  const [place, setPlace] = useState<number | null>(null);
  const action = useAction();
  const now = useNow();
  const user = me.value;

  useEffect(() => {
    call(() => api.GET('/v1/sales/{id}', { params: { path: { id } } })).then(setSale, setError);
  }, [id]);

  const counts = (data: unknown) => {
    const event = data as Schemas['SaleCountsEvent'];
    setSale((known) =>
      known
        ? { ...known, available: event.available, held: event.held, sold: event.sold, status: event.status }
        : known,
    );
  };
  useEventStream(sale ? `/v1/sales/${encodeURIComponent(id)}/events` : null, {
    snapshot: (data) => setSale(data as Sale),
    stock: counts,
    sold_out: counts,
    closed: counts,
    cancelled: counts,
  });

  if (!sale) return error ? <ErrorNote error={error} /> : <p aria-busy="true">Loading the sale…</p>;

  const claimUnits = () =>
    action.run(async () => {
      const altcha = sale.requireChallenge ? await solvedChallengeFor(sale.id) : undefined;
      const header = { 'Idempotency-Key': crypto.randomUUID(), ...(altcha ? { 'X-Altcha': altcha } : {}) };
      setClaim(
        await call(() =>
          api.POST('/v1/sales/{id}/claims', { params: { path: { id: sale.id }, header }, body: { quantity } }),
        ),
      );
    });
  const joinWaitlist = () =>
    action.run(async () => {
      const answer = await call(() =>
        api.POST('/v1/sales/{id}/waitlist', { params: { path: { id: sale.id } }, body: { quantity } }),
      );
      setPlace(answer.position);
    });
  const leaveWaitlist = () =>
    action.run(async () => {
      await call(() => api.DELETE('/v1/sales/{id}/waitlist', { params: { path: { id: sale.id } } }));
      setPlace(null);
    });

  const holdLeft = claim ? timeLeft(Date.parse(claim.holdExpiresAt), now) : null;
  const startsIn = timeLeft(Date.parse(sale.startsAt), now);
  const isSeller = user !== null && user.id === sale.sellerId;
  const limit = Math.max(1, Math.min(sale.perUserLimit, sale.available || sale.perUserLimit));
  return (
    <article aria-labelledby="sale-title">
      <h1 id="sale-title">{sale.title}</h1>
      <p class="kind">Flash sale · {SALE_STATUS[sale.status]}</p>
      <p class="big-price">
        {money(sale.price, sale.currency)} <span class="muted">each</span>
      </p>
      <p>
        <output data-testid="available">{sale.available}</output> of {sale.stock} left
        <span class="muted">
          {' '}
          · {sale.held} on hold · {sale.sold} sold
        </span>
      </p>
      {sale.status === 'scheduled' && startsIn && <p>Starts in {startsIn}</p>}
      {sale.endsAt && sale.status === 'open' && <p class="muted">Ends {when(sale.endsAt)}</p>}
      <p class="description">{sale.description}</p>
      <p class="muted">
        Up to {sale.perUserLimit} per person. A claim holds your units for {Math.round(sale.holdSeconds / 60)} minutes
        while you pay; unpaid units go back on sale.
      </p>
      {claim ? (
        <div class="result" role="status" data-testid="claim">
          {holdLeft ? (
            <>
              <p>
                <strong>{claim.quantity} held for you</strong> ({money(claim.total, claim.currency)}). Pay within{' '}
                <span data-testid="hold-left">{holdLeft}</span>.
              </p>
              <PayButton orderId={claim.orderId} />
            </>
          ) : (
            <p>Your hold has expired; the units went back on sale.</p>
          )}
        </div>
      ) : !user ? (
        <p>
          <a href={`/sign-in?next=${encodeURIComponent(url)}`}>Sign in to buy</a>
        </p>
      ) : isSeller ? (
        <p>This is your sale.</p>
      ) : sale.status === 'open' ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void claimUnits();
          }}
        >
          <label>
            Quantity{' '}
            <input
              type="number"
              min={1}
              max={limit}
              value={quantity}
              onInput={(e) => setQuantity(Number(e.currentTarget.value) || 1)}
            />
          </label>{' '}
          <button type="submit" disabled={action.busy}>
            {sale.requireChallenge && action.busy ? 'Checking you are not a bot…' : 'Claim'}
          </button>
        </form>
      ) : sale.status === 'sold_out' ? (
        place === null ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void joinWaitlist();
            }}
          >
            <p>Sold out. Join the waitlist: if units come back, the first in line get an offer.</p>
            <label>
              Quantity{' '}
              <input
                type="number"
                min={1}
                max={sale.perUserLimit}
                value={quantity}
                onInput={(e) => setQuantity(Number(e.currentTarget.value) || 1)}
              />
            </label>{' '}
            <button type="submit" disabled={action.busy}>
              Join the waitlist
            </button>
          </form>
        ) : (
          <p role="status" data-testid="waitlist-position">
            You are number {place} on the waitlist.{' '}
            <button type="button" class="link" disabled={action.busy} onClick={() => void leaveWaitlist()}>
              Leave it
            </button>
          </p>
        )
      ) : null}
      <ErrorNote error={action.error} />
    </article>
  );
}
