/**
 * Webhook signing as Standard Webhooks defines it (https://www.standardwebhooks.com/), through the
 * spec's own reference library, so a receiver using any Standard Webhooks library verifies what we send:
 * the secret is `whsec_` and base64 of random key bytes; the signed content is
 * `${webhook-id}.${webhook-timestamp}.${body}`; the `webhook-signature` header is `v1,` and base64 of its
 * HMAC-SHA256. The webhook id is the delivery's (the same on every retry, so receivers can dedupe), the
 * timestamp the attempt's (Unix seconds, so a captured request cannot be replayed later).
 */
import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** The spec asks for 24 to 64 bytes; 32 is HMAC-SHA256's block-size sweet spot. */
const SECRET_BYTES = 32;

/** A new endpoint secret, as the spec serialises it: `whsec_<base64 of 32 random bytes>`. */
export const createWebhookSecret = (key: Uint8Array = randomBytes(SECRET_BYTES)): string =>
  `${WEBHOOK_SECRET_PREFIX}${Buffer.from(key).toString('base64')}`;

/** The `webhook-signature` header value, `v1,<base64>`, for one attempt. */
export function signWebhook(secret: string, webhookId: string, timestampSeconds: number, body: string): string {
  // The signed content is dot-delimited: an id with a dot could make two different messages sign alike.
  if (webhookId.includes('.')) throw new Error('a webhook id must not contain "."');
  if (!Number.isSafeInteger(timestampSeconds)) throw new Error('the timestamp must be whole Unix seconds');
  return new Webhook(secret).sign(webhookId, new Date(timestampSeconds * 1000), body);
}

/** The three headers a delivery attempt carries besides its content type. */
export function webhookSignatureHeaders(secret: string, webhookId: string, timestampSeconds: number, body: string) {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signWebhook(secret, webhookId, timestampSeconds, body),
  };
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * What a receiver does: true when one of the `v1` signatures in `webhook-signature` is the body's
 * under `secret` (compared in constant time) and `webhook-timestamp` is within 5 minutes of now. The
 * body must be the raw bytes received, not JSON parsed and written again.
 */
export function verifyWebhook(secret: string, body: string | Uint8Array, headers: Headers): boolean {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(' ') : value;
  }
  try {
    new Webhook(secret).verify(body, flat, { jsonParse: false });
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}
