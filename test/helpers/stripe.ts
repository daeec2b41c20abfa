/**
 * Stripe in the tests: the test stack's stripe-mock (STRIPE_API_URL, set by `npm test`) through the
 * client the app builds (config/stripe.ts), and webhook events signed as Stripe signs them, the way
 * Stripe documents testing webhooks (scripts/stripe-events.ts). stripe-mock sends no events itself: a
 * test makes the event it needs and posts it.
 */
import type Stripe from 'stripe';
import { createStripe, type StripeClientOptions } from '../../config/stripe.js';
import { deliverStripeEvent, signStripeEvent, type SignedStripeEvent } from '../../scripts/stripe-events.js';
import { testConfig } from './config.js';

/** A client of the test stack's stripe-mock, with the stack's development key. */
export function stripeMockClient(options: StripeClientOptions = {}): Stripe {
  const config = testConfig();
  if (!config.STRIPE_API_URL) throw new Error('STRIPE_API_URL is not set: run the tests with npm test');
  return createStripe(config, options);
}

export {
  paidCheckoutSession,
  stripeEvent,
  stripeId,
  type SignedStripeEvent,
  type StripeEventOf,
} from '../../scripts/stripe-events.js';

export interface SignOptions {
  /** The endpoint's signing secret; the stack's STRIPE_WEBHOOK_SECRET when unset. */
  secret?: string;
  /** The signing time, in Unix seconds; now when unset. The SDK refuses events older than 300 s by default. */
  timestamp?: number;
}

/** The API's answer to a delivered event: its outcome, or its error. */
export interface WebhookAnswer {
  status: number;
  body: { outcome?: string; error?: { code: string; message: string } };
}

/** `event` signed (as signedStripeEvent) and delivered to the API at `apiUrl`; its answer. */
export async function deliverEvent(
  apiUrl: string,
  event: object | string,
  options: SignOptions = {},
): Promise<WebhookAnswer> {
  const response = await deliverStripeEvent(apiUrl, signedStripeEvent(event, options));
  return { status: response.status, body: (await response.json()) as WebhookAnswer['body'] };
}

/** `event` signed as Stripe would sign it, with the test stack's secret unless told otherwise. */
export function signedStripeEvent(event: object | string, options: SignOptions = {}): SignedStripeEvent {
  return signStripeEvent(event, options.secret ?? testConfig().STRIPE_WEBHOOK_SECRET, options.timestamp);
}
