/**
 * The test stack's stripe-mock, through the client the app builds (config/stripe.ts), and webhook
 * signatures made by test/helpers/stripe.ts and checked by the SDK as the app will check them.
 *
 * What stripe-mock (v0.203.0) is, as these tests pin it down: a stateless server that checks each request
 * against Stripe's OpenAPI spec (unknown parameters, types, enums) and answers 200 with a canned fixture,
 * into which it copies the request's top-level values that the fixture has under the same name and type.
 * What it does not do, so the settlement tests must not expect it:
 * - keep anything: a retrieved session is the fixture again, with only the id of the path;
 * - reflect nested values the fixture lacks: `metadata` comes back `{}`, so find an order by
 *   `client_reference_id` (reflected) or by the session id you stored;
 * - compute anything: `amount_total` and `currency` are null, `line_items` is absent, and every session
 *   has the same fixture `url`;
 * - check rules beyond the schema: an `expires_at` in the past is accepted (Stripe wants 30 min to 24 h
 *   ahead), and so is a payment session without line items;
 * - replay idempotent requests: it echoes the Idempotency-Key header, but the same key twice makes two
 *   sessions (Stripe answers the second with the first's result);
 * - act: `expire` answers with another fixture id and `status: 'open'`; no payment ever happens, and it
 *   sends no webhook events: tests sign their own (signedStripeEvent) and post them;
 * - check the Stripe-Version header (unless started with -strict-version-check; its spec is older than
 *   the SDK's pinned version).
 * It accepts any test-mode key of three underscore-separated parts (sk_test_x, rk_test_x), nothing else.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import Stripe from 'stripe';
import { createStripe } from '../config/stripe.js';
import { testConfig } from './helpers/config.js';
import { signedStripeEvent, stripeEvent, stripeId, stripeMockClient } from './helpers/stripe.js';

const config = testConfig();
// No retries: stripe-mock is on this machine, and an answer must come from the one request made.
const stripe = createStripe(config, { maxNetworkRetries: 0 });

/** What a settlement would send for one order: a fixed price for one lot, paid within the hour. */
function checkoutParams(orderId: string): Stripe.Checkout.SessionCreateParams {
  return {
    mode: 'payment',
    line_items: [
      {
        quantity: 1,
        price_data: { currency: 'eur', unit_amount: 12_550, product_data: { name: 'Brass telescope (lot 7)' } },
      },
    ],
    metadata: { orderId },
    client_reference_id: orderId,
    expires_at: Math.floor(Date.now() / 1000) + 3600,
    success_url: `http://localhost:3000/orders/${orderId}?checkout=success`,
    cancel_url: `http://localhost:3000/orders/${orderId}?checkout=cancelled`,
  };
}

test('when npm test runs, then STRIPE_API_URL points the SDK at the stack’s stripe-mock over http on 127.0.0.1', () => {
  assert.deepEqual(
    { protocol: config.STRIPE_API_URL?.protocol, host: config.STRIPE_API_URL?.host },
    { protocol: 'http', host: '127.0.0.1' },
  );
  assert.match(config.STRIPE_SECRET_KEY, /^sk_test_[^_]+$/);
});

test('when a Checkout Session is created through createStripe, then stripe-mock answers with an id, a url and the parameters it reflects', async () => {
  const orderId = randomUUID();
  const params = checkoutParams(orderId);
  const idempotencyKey = `order-${orderId}-checkout-1`;
  const session = await stripe.checkout.sessions.create(params, { idempotencyKey });

  assert.match(session.id, /^cs_test_\w+$/);
  assert.equal(session.object, 'checkout.session');
  assert.match(session.url ?? '', /^https:\/\/checkout\.stripe\.com\/\S+$/);
  assert.equal(session.livemode, false);
  assert.equal(session.status, 'open');
  assert.equal(session.payment_status, 'unpaid');
  // Reflected: top-level values the fixture has under the same name and type.
  assert.equal(session.mode, 'payment');
  assert.equal(session.client_reference_id, orderId);
  assert.equal(session.expires_at, params.expires_at);
  assert.equal(session.success_url, params.success_url);
  assert.equal(session.cancel_url, params.cancel_url);
  // The key went out with the request (stripe-mock echoes the header, as Stripe does).
  assert.equal(session.lastResponse.headers['idempotency-key'], idempotencyKey);
  assert.equal(session.lastResponse.statusCode, 200);

  // Not reflected or computed (see the top of this file).
  assert.deepEqual(session.metadata, {}, 'stripe-mock does not reflect metadata');
  assert.equal(session.amount_total, null);
  assert.equal(session.currency, null);
  assert.equal(session.line_items, undefined);
});

test('when stripe-mock gets a request its spec refuses, then the SDK throws StripeInvalidRequestError naming the parameter', async () => {
  const params = checkoutParams(randomUUID());
  const fractional = {
    ...params,
    line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 125.5, product_data: { name: 'x' } } }],
  };
  await assert.rejects(
    stripe.checkout.sessions.create(fractional),
    (error: unknown) =>
      error instanceof Stripe.errors.StripeInvalidRequestError &&
      error.statusCode === 400 &&
      /unit_amount/.test(error.message),
  );
  const unknownMode = { ...params, mode: 'rental' } as unknown as Stripe.Checkout.SessionCreateParams;
  await assert.rejects(
    stripe.checkout.sessions.create(unknownMode),
    (error: unknown) => error instanceof Stripe.errors.StripeInvalidRequestError && /'mode'/.test(error.message),
  );
  const unknownParameter = { ...params, order_id: 'x' } as Stripe.Checkout.SessionCreateParams;
  await assert.rejects(
    stripe.checkout.sessions.create(unknownParameter),
    (error: unknown) =>
      error instanceof Stripe.errors.StripeInvalidRequestError && /additional properties/.test(error.message),
  );
});

test('when a request is valid for the schema but not for Stripe, then stripe-mock accepts it anyway', async () => {
  const stale = { ...checkoutParams(randomUUID()), expires_at: Math.floor(Date.now() / 1000) - 60 };
  assert.equal((await stripe.checkout.sessions.create(stale)).expires_at, stale.expires_at);
  const withoutItems = checkoutParams(randomUUID());
  delete withoutItems.line_items;
  assert.match((await stripe.checkout.sessions.create(withoutItems)).id, /^cs_test_/);
});

test('when stripe-mock is asked again, then it remembers nothing: no idempotent replay, no stored session, no expiry', async () => {
  const orderId = randomUUID();
  const idempotencyKey = `order-${orderId}-checkout-1`;
  const first = await stripe.checkout.sessions.create(checkoutParams(orderId), { idempotencyKey });
  const second = await stripe.checkout.sessions.create(checkoutParams(orderId), { idempotencyKey });
  assert.notEqual(second.id, first.id, 'the real API would answer the second call with the first session');
  assert.equal(second.url, first.url, 'every session has the fixture’s url');

  const retrieved = await stripe.checkout.sessions.retrieve(first.id);
  assert.equal(retrieved.id, first.id); // the path's id, into the fixture
  assert.equal(retrieved.client_reference_id, null);

  const expired = await stripe.checkout.sessions.expire(first.id);
  assert.notEqual(expired.id, first.id);
  assert.equal(expired.status, 'open');
});

test('when the key is not a test-mode key stripe-mock accepts, then the SDK throws StripeAuthenticationError', async () => {
  for (const key of ['sk_live_GavelNotReal', 'sk_test_with_underscores']) {
    const client = createStripe(
      { STRIPE_SECRET_KEY: key, STRIPE_API_URL: config.STRIPE_API_URL },
      { maxNetworkRetries: 0 },
    );
    await assert.rejects(
      client.balance.retrieve(),
      (error: unknown) => error instanceof Stripe.errors.StripeAuthenticationError && error.statusCode === 401,
      key,
    );
  }
});

test('when the helper’s client is used, then it reaches the same stripe-mock', async () => {
  const balance = await stripeMockClient().balance.retrieve();
  assert.equal(balance.object, 'balance');
});

function completedEvent(orderId: string) {
  return stripeEvent('checkout.session.completed', {
    id: stripeId('cs_test'),
    object: 'checkout.session',
    client_reference_id: orderId,
    metadata: { orderId },
    payment_status: 'paid',
    status: 'complete',
    amount_total: 12_550,
    currency: 'eur',
  });
}

test('when an event is signed by the helper with the stack’s secret, then constructEvent accepts it and returns it', () => {
  const orderId = randomUUID();
  const event = completedEvent(orderId);
  const { body, headers } = signedStripeEvent(event);
  assert.match(headers['stripe-signature'], /^t=\d+,v1=[0-9a-f]{64}$/);

  const received = stripe.webhooks.constructEvent(body, headers['stripe-signature'], config.STRIPE_WEBHOOK_SECRET);
  assert.deepEqual(received, event);
  assert.equal(received.type, 'checkout.session.completed');
  if (received.type === 'checkout.session.completed') {
    assert.equal(received.data.object.metadata?.orderId, orderId);
  }
});

test('when an event is signed with another secret, then constructEvent throws StripeSignatureVerificationError', () => {
  const { body, headers } = signedStripeEvent(completedEvent(randomUUID()), { secret: 'whsec_SomeOtherEndpoint' });
  assert.throws(
    () => stripe.webhooks.constructEvent(body, headers['stripe-signature'], config.STRIPE_WEBHOOK_SECRET),
    (error: unknown) =>
      error instanceof Stripe.errors.StripeSignatureVerificationError &&
      /No signatures found matching the expected signature/.test(error.message),
  );
});

test('when the signature is older than the tolerance (300 s by default), then constructEvent refuses it; younger, it accepts it', () => {
  const event = completedEvent(randomUUID());
  const now = Math.floor(Date.now() / 1000);
  const stale = signedStripeEvent(event, { timestamp: now - 301 });
  assert.throws(
    () => stripe.webhooks.constructEvent(stale.body, stale.headers['stripe-signature'], config.STRIPE_WEBHOOK_SECRET),
    (error: unknown) =>
      error instanceof Stripe.errors.StripeSignatureVerificationError && /tolerance/.test(error.message),
  );
  const recent = signedStripeEvent(event, { timestamp: now - 240 });
  const received = stripe.webhooks.constructEvent(
    recent.body,
    recent.headers['stripe-signature'],
    config.STRIPE_WEBHOOK_SECRET,
  );
  assert.equal(received.id, event.id);
});

test('when the body is re-serialised after signing, then the signature no longer matches (verify the raw bytes)', () => {
  const { body, headers } = signedStripeEvent(completedEvent(randomUUID()));
  const reformatted = JSON.stringify(JSON.parse(body) as unknown, null, 2);
  assert.throws(
    () => stripe.webhooks.constructEvent(reformatted, headers['stripe-signature'], config.STRIPE_WEBHOOK_SECRET),
    Stripe.errors.StripeSignatureVerificationError,
  );
});
