/**
 * Stripe in the tests: the test stack's stripe-mock (STRIPE_API_URL, set by `npm test`) through the
 * client the app builds (config/stripe.ts), and webhook events signed as Stripe signs them, the way
 * Stripe documents testing webhooks (the SDK's generateTestHeaderString). stripe-mock sends no events
 * itself: a test makes the event it needs and posts it.
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { createStripe, STRIPE_API_VERSION, type StripeClientOptions } from '../../config/stripe.js';
import { testConfig } from './config.js';

/** A client of the test stack's stripe-mock, with the stack's development key. */
export function stripeMockClient(options: StripeClientOptions = {}): Stripe {
  const config = testConfig();
  if (!config.STRIPE_API_URL) throw new Error('STRIPE_API_URL is not set: run the tests with npm test');
  return createStripe(config, options);
}

/** An id in Stripe's style (`evt_…`, `cs_test_…`), random enough for tests running side by side. */
export const stripeId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;

/** The event Stripe sends for `type` (checkout.session.completed: its data.object is a Checkout Session). */
export type StripeEventOf<T extends Stripe.Event.Type> = Extract<Stripe.Event, { type: T }>;

/**
 * An event envelope as Stripe delivers it (a snapshot event: `data.object` is the object as it was then),
 * around `object`: only the fields the test gives (the rest of the type is a promise the test keeps).
 */
export function stripeEvent<T extends Stripe.Event.Type>(
  type: T,
  object: Partial<StripeEventOf<T>['data']['object']>,
  overrides: Partial<Omit<Stripe.Event, 'type' | 'data'>> = {},
): StripeEventOf<T> {
  const event = {
    id: stripeId('evt'),
    object: 'event',
    api_version: STRIPE_API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    ...overrides,
    type,
    data: { object },
  };
  return event as unknown as StripeEventOf<T>;
}

export interface SignedStripeEvent {
  /** The exact bytes to post: the signature covers them, so send this string, not a re-serialised object. */
  body: string;
  headers: { 'stripe-signature': string; 'content-type': 'application/json' };
}

export interface SignOptions {
  /** The endpoint's signing secret; the stack's STRIPE_WEBHOOK_SECRET when unset. */
  secret?: string;
  /** The signing time, in Unix seconds; now when unset. The SDK refuses events older than 300 s by default. */
  timestamp?: number;
}

/**
 * `event` (an object, or a body already serialised) with the `Stripe-Signature` header Stripe would send
 * with it: `t=<timestamp>,v1=<HMAC-SHA256 of "<timestamp>.<body>" with the secret>`.
 */
export function signedStripeEvent(event: object | string, options: SignOptions = {}): SignedStripeEvent {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: options.secret ?? testConfig().STRIPE_WEBHOOK_SECRET,
    ...(options.timestamp !== undefined && { timestamp: options.timestamp }),
  });
  return { body, headers: { 'stripe-signature': signature, 'content-type': 'application/json' } };
}
