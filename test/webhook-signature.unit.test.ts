/**
 * Webhook signing (domain/notifications/webhook-signature.ts) against Standard Webhooks: the spec's
 * reference test vector, what a receiver's verify accepts and refuses, and the secret's format. No services.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import {
  createWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookSignatureHeaders,
} from '../domain/notifications/webhook-signature.js';

// The reference library's own vector (standard-webhooks libraries/javascript, "sign function works").
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const now = () => Math.floor(Date.now() / 1000);
const secret = createWebhookSecret();
const body = JSON.stringify({ type: 'outbid', timestamp: '2030-01-01T00:00:00.000Z', data: { id: 1 } });

describe('signing', () => {
  test('when the spec test vector is signed, then the signature is the one the spec gives', () => {
    assert.equal(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body), VECTOR.signature);
  });

  test('when a body is signed, then it is HMAC-SHA256 of id.timestamp.body under the decoded secret', () => {
    const id = 'f1b5f7a0-0000-4000-8000-000000000001';
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.1700000000.${body}`).digest('base64');
    assert.equal(signWebhook(secret, id, 1700000000, body), `v1,${expected}`);
  });

  test('when a body has non-ASCII characters, then its UTF-8 bytes are signed', () => {
    const text = JSON.stringify({ title: 'Café — ½ price 🎉' });
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(Buffer.from(`m.1700000000.${text}`, 'utf8'))
      .digest('base64');
    assert.equal(signWebhook(secret, 'm', 1700000000, text), `v1,${expected}`);
  });

  test('when an id contains a dot or the timestamp is not whole seconds, then signing refuses', () => {
    assert.throws(() => signWebhook(secret, 'a.b', 1700000000, body));
    assert.throws(() => signWebhook(secret, 'a', 1700000000.5, body));
  });

  test('when a secret is created, then it is whsec_ and base64 of 32 random bytes, different each time', () => {
    const first = createWebhookSecret();
    assert.match(first, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(first.slice(6), 'base64').length, 32);
    assert.notEqual(first, createWebhookSecret());
  });
});

describe('verifying', () => {
  const headersNow = (id = 'delivery-1') => webhookSignatureHeaders(secret, id, now(), body);

  test('when the headers and body are as sent, then they verify, with our verify and the reference library alike', () => {
    const headers = headersNow();
    assert.equal(verifyWebhook(secret, body, headers), true);
    assert.equal(verifyWebhook(secret, Buffer.from(body), headers), true);
    assert.doesNotThrow(() => new Webhook(secret).verify(body, headers));
  });

  test('when header names come capitalised or as arrays, then they still verify', () => {
    const headers = headersNow();
    const shouted = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toUpperCase(), [value]]));
    assert.equal(verifyWebhook(secret, body, shouted), true);
  });

  test('when the body, the id or the timestamp is altered, then it does not verify', () => {
    const headers = headersNow();
    assert.equal(verifyWebhook(secret, body.replace('outbid', 'auction_won'), headers), false);
    assert.equal(verifyWebhook(secret, body, { ...headers, 'webhook-id': 'delivery-2' }), false);
    assert.equal(
      verifyWebhook(secret, body, {
        ...headers,
        'webhook-timestamp': String(Number(headers['webhook-timestamp']) + 1),
      }),
      false,
    );
  });

  test('when another secret is used, then it does not verify', () => {
    assert.equal(verifyWebhook(createWebhookSecret(), body, headersNow()), false);
  });

  test('when the timestamp is more than 5 minutes off, then it does not verify (replay)', () => {
    for (const timestamp of [now() - 301, now() + 301]) {
      assert.equal(verifyWebhook(secret, body, webhookSignatureHeaders(secret, 'd', timestamp, body)), false);
    }
    assert.equal(verifyWebhook(secret, body, webhookSignatureHeaders(secret, 'd', now() - 290, body)), true);
  });

  test('when a header is missing, then it does not verify', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const headers: Record<string, string | undefined> = { ...headersNow() };
      delete headers[name];
      assert.equal(verifyWebhook(secret, body, headers), false, name);
    }
  });

  test('when several signatures are sent (a key rotation), then one valid v1 among them is enough', () => {
    const headers = headersNow();
    const other = signWebhook(createWebhookSecret(), 'delivery-1', Number(headers['webhook-timestamp']), body);
    const signature = `${other} v1a,AAAA ${headers['webhook-signature']}`;
    assert.equal(verifyWebhook(secret, body, { ...headers, 'webhook-signature': signature }), true);
    assert.equal(verifyWebhook(secret, body, { ...headers, 'webhook-signature': other }), false);
  });
});
