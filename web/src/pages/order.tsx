/**
 * One order. Stripe Checkout sends the buyer back here with ?checkout=success or ?checkout=cancelled;
 * after a success the order stays "awaiting payment" until Stripe's webhook reaches the API, so the
 * page says the payment is being confirmed and reads the order again for a while until it is.
 */
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, call, type Schemas } from '../api/client';
import { ErrorNote } from '../components/error-note';
import { ItemLink } from '../components/item-link';
import { PayButton } from '../components/pay-button';
import { SignInFirst } from '../components/sign-in-first';
import { money, when } from '../format';
import { ORDER_KIND, ORDER_STATUS, orderTone } from '../order-words';
import { me } from '../session';

const CONFIRM_POLL_MS = 3_000;
const CONFIRM_POLLS = 20;

export function OrderPage({ id }: { id: string }) {
  const { query } = useLocation();
  const checkout = query.checkout;
  const user = me.value;
  const [order, setOrder] = useState<Schemas['Order'] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!user) return;
    let polls = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const answer = await call(() => api.GET('/v1/orders/{id}', { params: { path: { id } } }));
        setOrder(answer);
        setError(null);
        if (checkout === 'success' && answer.status === 'awaiting_payment' && ++polls < CONFIRM_POLLS) {
          timer = setTimeout(() => void read(), CONFIRM_POLL_MS);
        }
      } catch (e) {
        setError(e);
      }
    };
    void read();
    return () => clearTimeout(timer);
  }, [id, checkout, user?.id]);

  if (!user) return <SignInFirst />;
  return (
    <section aria-labelledby="order-title">
      <h1 id="order-title">Order</h1>
      <CheckoutNote checkout={checkout} order={order} />
      <ErrorNote error={error} />
      {order === null ? error ? null : <p aria-busy="true">Loading the order…</p> : <OrderDetails order={order} />}
      <p>
        <a href="/me/orders">All my orders</a>
      </p>
    </section>
  );
}

/** What the return from Stripe Checkout means, in words. */
function CheckoutNote({ checkout, order }: { checkout: string | undefined; order: Schemas['Order'] | null }) {
  if (checkout === 'success') {
    // A payment that reaches an order already expired or cancelled is refunded (docs/settlement.md).
    const closed = order !== null && order.status !== 'awaiting_payment' && order.status !== 'paid';
    return (
      <p role="status" class="result" data-testid="checkout-note">
        <strong>Payment received, thank you.</strong>{' '}
        {order?.status === 'paid'
          ? 'It is confirmed: the order is paid.'
          : closed
            ? 'This order had already closed, so the payment will be refunded to you.'
            : 'We are confirming it with Stripe; this page updates when it is confirmed.'}
      </p>
    );
  }
  if (checkout === 'cancelled') {
    return (
      <p role="status" class="result" data-testid="checkout-note">
        <strong>Payment cancelled.</strong> Nothing was charged;{' '}
        {order?.status === 'awaiting_payment'
          ? 'you can pay again below.'
          : 'you can pay again while the order is open.'}
      </p>
    );
  }
  return null;
}

function OrderDetails({ order }: { order: Schemas['Order'] }) {
  const isBuyer = me.value?.id === order.buyerId;
  return (
    <>
      <p>
        <span class="kind">{ORDER_KIND[order.kind]}</span>
        <br />
        <ItemLink auctionId={order.auctionId} saleId={order.saleId} />
        {order.quantity > 1 && <span class="muted"> × {order.quantity}</span>}
      </p>
      <dl class="terms" data-testid="order">
        <dt>Status</dt>
        <dd class={orderTone(order.status)} data-testid="order-status">
          {ORDER_STATUS[order.status]}
        </dd>
        <dt>{order.kind === 'sale' ? 'Price' : 'Hammer price'}</dt>
        <dd>{money(order.hammerPrice, order.currency)}</dd>
        {order.buyersPremium > 0 && (
          <>
            <dt>Buyer's premium</dt>
            <dd>{money(order.buyersPremium, order.currency)}</dd>
          </>
        )}
        <dt>Total</dt>
        <dd data-testid="order-total">{money(order.total, order.currency)}</dd>
        {order.houseSubsidy > 0 && (
          <>
            <dt>Paid by Gavel's promotion</dt>
            <dd data-testid="order-subsidy">−{money(order.houseSubsidy, order.currency)}</dd>
            <dt>You pay</dt>
            <dd data-testid="order-amount-due">{money(order.amountDue, order.currency)}</dd>
          </>
        )}
        {order.status === 'paid' && order.paidAt !== null ? (
          <>
            <dt>Paid</dt>
            <dd>{when(order.paidAt)}</dd>
          </>
        ) : (
          <>
            <dt>Pay by</dt>
            <dd>
              <time dateTime={order.payBy}>{when(order.payBy)}</time>
            </dd>
          </>
        )}
        <dt>Ordered</dt>
        <dd>{when(order.createdAt)}</dd>
      </dl>
      {isBuyer && order.status === 'awaiting_payment' && (
        <p>
          <PayButton orderId={order.id} />
        </p>
      )}
    </>
  );
}
