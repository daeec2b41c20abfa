/**
 * Payments as Stripe reports them (scripts/stripe-events.ts: the events the tests and `npm run
 * stripe:pay` make), signed with the stack's webhook secret and posted to the webhook once.
 */
import { deliverStripeEvent, signStripeEvent } from '../scripts/stripe-events.js';

/** Posts one signed event; answers the webhook's outcome, and throws on anything but a 200. */
export async function postStripeEvent(apiUrl: string, secret: string, event: object): Promise<string> {
  const response = await deliverStripeEvent(apiUrl, signStripeEvent(event, secret));
  const text = await response.text();
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { outcome: string }).outcome;
}
