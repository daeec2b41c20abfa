/**
 * Payments as Stripe reports them (scripts/stripe-events.ts: the events the tests and `npm run
 * stripe:pay` make), signed with the stack's webhook secret and posted to the webhook once.
 */
import { paidCheckoutSession, signStripeEvent } from '../scripts/stripe-events.js';

export interface PayableOrder {
  id: string;
  total: number;
  currency: string;
}

/** `checkout.session.completed` for the whole total of `order`, paid by card (no async payment). */
export const paidSessionEvent = (order: PayableOrder) => paidCheckoutSession(order);

export const WEBHOOK_PATH = '/v1/payments/stripe/webhook';

/** Posts one signed event; answers the webhook's outcome, and throws on anything but a 200. */
export async function postStripeEvent(apiUrl: string, secret: string, event: object): Promise<string> {
  const signed = signStripeEvent(event, secret);
  const response = await fetch(`${apiUrl}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { outcome: string }).outcome;
}
