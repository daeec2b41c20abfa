/**
 * The Stripe client: the official SDK, pointed at Stripe (STRIPE_API_URL unset) or at another address
 * (stripe-mock under `npm start` and `npm test`). Money is in integer minor units, as everywhere here.
 */
import Stripe from 'stripe';
import type { Config } from './env.js';

/**
 * The API version every request asks for, pinned rather than left to the SDK, so an SDK upgrade changes
 * no answer's shape unnoticed: the SDK's types describe only its own version, so a new SDK fails the
 * typecheck here until this is moved on deliberately. Webhook events carry the version of their
 * endpoint (set in the Dashboard), not this one: keep the two the same.
 */
export const STRIPE_API_VERSION = '2026-11-18.endive' satisfies Stripe.StripeConfig['apiVersion'];

export interface StripeClientOptions {
  /**
   * Retries of a request that failed on the network, or with 409 or 5xx (or whatever Stripe-Should-Retry
   * says), with backoff. The SDK gives every POST an idempotency key when the caller gave none, so its
   * own retries are safe; across retries of ours (a Temporal activity's, say) pass one that stays the
   * same. Activities, which Temporal retries, may want 0 here.
   */
  maxNetworkRetries?: number;
  /** Per request, in milliseconds. */
  timeout?: number;
}

export function createStripe(
  config: Pick<Config, 'STRIPE_SECRET_KEY' | 'STRIPE_API_URL'>,
  options: StripeClientOptions = {},
): Stripe {
  const address = config.STRIPE_API_URL;
  return new Stripe(config.STRIPE_SECRET_KEY, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeout ?? 20_000,
    ...(address && { host: address.host, port: address.port, protocol: address.protocol }),
    appInfo: { name: 'Gavel' },
  });
}
