/**
 * Stripe's webhook events made and signed here, as Stripe documents testing them: the envelope Stripe
 * delivers around an object, signed with the SDK's generateTestHeaderString. stripe-mock sends no events
 * itself, so the tests and the local `npm run stripe:pay` make the events Stripe would send.
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { STRIPE_API_VERSION } from '../config/stripe.js';

/** An id in Stripe's style (`evt_…`, `cs_test_…`), random enough for runs side by side. */
export const stripeId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;

/** The event Stripe sends for `type` (checkout.session.completed: its data.object is a Checkout Session). */
export type StripeEventOf<T extends Stripe.Event.Type> = Extract<Stripe.Event, { type: T }>;

/**
 * An event envelope as Stripe delivers it (a snapshot event: `data.object` is the object as it was then),
 * around `object`: only the fields given (the rest of the type is a promise the caller keeps).
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

/** The completed Checkout Session of a paid order, as Stripe reports it. */
export function paidCheckoutSession(
  order: { id: string; total: number; currency: string },
  session: { id?: string; amount?: number; paymentIntent?: string } = {},
) {
  return stripeEvent('checkout.session.completed', {
    id: session.id ?? stripeId('cs_test'),
    object: 'checkout.session',
    client_reference_id: order.id,
    metadata: { orderId: order.id },
    amount_total: session.amount ?? order.total,
    currency: order.currency.toLowerCase(),
    payment_status: 'paid',
    status: 'complete',
    payment_intent: session.paymentIntent ?? stripeId('pi'),
  });
}

export interface SignedStripeEvent {
  /** The exact bytes to post: the signature covers them, so send this string, not a re-serialised object. */
  body: string;
  headers: { 'stripe-signature': string; 'content-type': 'application/json' };
}

/** Where the API takes Stripe's events. */
export const STRIPE_WEBHOOK_PATH = '/v1/payments/stripe/webhook';

/** Posts a signed event to the API at `apiUrl` as Stripe delivers it: its exact bytes and signature. */
export const deliverStripeEvent = (apiUrl: string, signed: SignedStripeEvent): Promise<Response> =>
  fetch(`${apiUrl}${STRIPE_WEBHOOK_PATH}`, { method: 'POST', headers: signed.headers, body: signed.body });

/**
 * `event` (an object, or a body already serialised) with the `Stripe-Signature` header Stripe would send
 * with it: `t=<timestamp>,v1=<HMAC-SHA256 of "<timestamp>.<body>" with the secret>`.
 */
export function signStripeEvent(event: object | string, secret: string, timestamp?: number): SignedStripeEvent {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret,
    ...(timestamp !== undefined && { timestamp }),
  });
  return { body, headers: { 'stripe-signature': signature, 'content-type': 'application/json' } };
}
