import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { ErrorNote } from './error-note';

/** Opens Stripe Checkout for an order: the API makes the session, the browser goes to its URL. */
export function PayButton({ orderId }: { orderId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            const { checkoutUrl } = await call(() =>
              api.POST('/v1/orders/{id}/checkout', { params: { path: { id: orderId } } }),
            );
            location.assign(checkoutUrl);
          } catch (e) {
            setError(e);
            setBusy(false);
          }
        }}
      >
        Pay now
      </button>
      <ErrorNote error={error} />
    </>
  );
}
