/**
 * Payments as Stripe reports them: the event Stripe sends when a buyer has paid on the Checkout page,
 * signed as Stripe signs it (test/helpers/stripe.ts, against the stack's webhook secret), and posted to
 * the webhook once.
 */
import { signedStripeEvent, stripeEvent, stripeId } from '../test/helpers/stripe.js';

export interface PayableOrder {
  id: string;
  total: number;
  currency: string;
}

/** `checkout.session.completed` for the whole total of `order`, paid by card (no async payment). */
export const paidSessionEvent = (order: PayableOrder) =>
  stripeEvent('checkout.session.completed', {
    id: stripeId('cs_test'),
    object: 'checkout.session',
    client_reference_id: order.id,
    metadata: { orderId: order.id },
    amount_total: order.total,
    currency: order.currency.toLowerCase(),
    payment_status: 'paid',
    status: 'complete',
    payment_intent: stripeId('pi'),
  });

export const WEBHOOK_PATH = '/v1/payments/stripe/webhook';

/** Posts one signed event; answers the webhook's outcome, and throws on anything but a 200. */
export async function postStripeEvent(apiUrl: string, event: object): Promise<string> {
  const signed = signedStripeEvent(event);
  const response = await fetch(`${apiUrl}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { outcome: string }).outcome;
}
