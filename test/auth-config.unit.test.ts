import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { createTokenService } from '../api/auth/tokens.js';
import { ConfigError, parseConfig, type Config } from '../config/env.js';
import { newEs256PrivateKeyPem } from './helpers/jwt.js';

const LINK_SECRET = 'a-notification-link-secret-32-chars-or-more';
/** Stripe's production requirements (test/config.unit.test.ts checks them), met so these tests see only the key's. */
const STRIPE = { STRIPE_SECRET_KEY: 'rk_live_GavelUnitTest', STRIPE_WEBHOOK_SECRET: 'whsec_GavelUnitTest' };
/** The sales' challenge key production requires of the API (test/config.unit.test.ts checks it). */
const ALTCHA = { ALTCHA_HMAC_KEY: 'a-challenge-signing-key-of-32-chars-or-more' };

const namesOnly = (names: string[]) => (error: unknown) =>
  error instanceof ConfigError && names.every((name) => error.message.includes(`${name}:`));

/** As api/build.ts builds the service from the config. */
const tokenServiceFrom = (config: Config) =>
  createTokenService({
    privateKey: config.JWT_PRIVATE_KEY ?? null,
    keyId: config.JWT_KEY_ID ?? null,
    issuer: config.JWT_ISSUER,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });

test('when nothing is set, then the token settings have their documented defaults and no key is required', () => {
  const config = parseConfig({});
  assert.equal(config.JWT_PRIVATE_KEY, undefined);
  assert.equal(config.JWT_KEY_ID, undefined);
  assert.equal(config.JWT_ISSUER, 'gavel');
  assert.equal(config.ACCESS_TOKEN_TTL_SECONDS, 900);
});

test('when NODE_ENV=production and JWT_PRIVATE_KEY is unset, then a ConfigError names JWT_PRIVATE_KEY', () => {
  assert.throws(
    () => parseConfig({ NODE_ENV: 'production', NOTIFICATION_LINK_SECRET: LINK_SECRET }, 'api'),
    namesOnly(['JWT_PRIVATE_KEY']),
  );
  assert.throws(
    () => parseConfig({ NODE_ENV: 'production', JWT_PRIVATE_KEY: '', NOTIFICATION_LINK_SECRET: LINK_SECRET }, 'api'),
    namesOnly(['JWT_PRIVATE_KEY']),
  );
});

test('when production lacks the key and another variable is bad too, then the error names both', () => {
  assert.throws(
    () => parseConfig({ NODE_ENV: 'production', PORT: 'x', NOTIFICATION_LINK_SECRET: LINK_SECRET }, 'api'),
    namesOnly(['JWT_PRIVATE_KEY', 'PORT']),
  );
});

test('when the worker or a tool runs in production without a key, then it starts: only the API signs tokens', () => {
  assert.equal(
    parseConfig({ NODE_ENV: 'production', NOTIFICATION_LINK_SECRET: LINK_SECRET, ...STRIPE }, 'worker').JWT_PRIVATE_KEY,
    undefined,
  );
  assert.equal(parseConfig({ NODE_ENV: 'production' }).NODE_ENV, 'production');
});

test('when NODE_ENV=production and a P-256 PKCS#8 key is set, then the config parses with it', () => {
  const pem = newEs256PrivateKeyPem();
  assert.equal(
    parseConfig(
      { NODE_ENV: 'production', JWT_PRIVATE_KEY: pem, NOTIFICATION_LINK_SECRET: LINK_SECRET, ...STRIPE, ...ALTCHA },
      'api',
    ).JWT_PRIVATE_KEY,
    pem.trim(),
  );
});

test('when the key is given on one line with literal \\n, then it parses to the PEM', () => {
  const pem = newEs256PrivateKeyPem();
  const oneLine = pem.trim().replaceAll('\n', '\\n');
  assert.ok(!oneLine.includes('\n'));
  assert.equal(parseConfig({ JWT_PRIVATE_KEY: oneLine }).JWT_PRIVATE_KEY, pem.trim());
});

const otherKey = (type: 'rsa' | 'ec', namedCurve?: string) =>
  type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    : generateKeyPairSync('ec', { namedCurve: namedCurve! }).privateKey;

for (const [why, key] of [
  ['not a key', 'not a key at all'],
  ['an RSA key', otherKey('rsa').export({ type: 'pkcs8', format: 'pem' }).toString()],
  ['a P-384 key', otherKey('ec', 'P-384').export({ type: 'pkcs8', format: 'pem' }).toString()],
  ['a SEC1 "EC PRIVATE KEY"', otherKey('ec', 'P-256').export({ type: 'sec1', format: 'pem' }).toString()],
  ['a public key', createPublicKey(newEs256PrivateKeyPem()).export({ type: 'spki', format: 'pem' }).toString()],
] as const) {
  test(`when JWT_PRIVATE_KEY is ${why}, then a ConfigError names it without repeating the key`, () => {
    assert.throws(
      () => parseConfig({ JWT_PRIVATE_KEY: key }),
      (error: unknown) =>
        namesOnly(['JWT_PRIVATE_KEY'])(error) &&
        !(error as Error).message.includes(key.length > 60 ? key.slice(30, 60) : key),
    );
  });
}

test('when JWT_KEY_ID, JWT_ISSUER and ACCESS_TOKEN_TTL_SECONDS are set, then they are parsed; a bad TTL is named', () => {
  const config = parseConfig({ JWT_KEY_ID: 'k1', JWT_ISSUER: 'https://auth.example', ACCESS_TOKEN_TTL_SECONDS: '60' });
  assert.deepEqual(
    [config.JWT_KEY_ID, config.JWT_ISSUER, config.ACCESS_TOKEN_TTL_SECONDS],
    ['k1', 'https://auth.example', 60],
  );
  assert.throws(() => parseConfig({ ACCESS_TOKEN_TTL_SECONDS: '0' }), namesOnly(['ACCESS_TOKEN_TTL_SECONDS']));
});

test('when a key is configured, then the token service serves that key, under its RFC 7638 thumbprint', async () => {
  const pem = newEs256PrivateKeyPem();
  const tokens = await tokenServiceFrom(
    parseConfig(
      { NODE_ENV: 'production', JWT_PRIVATE_KEY: pem, NOTIFICATION_LINK_SECRET: LINK_SECRET, ...STRIPE, ...ALTCHA },
      'api',
    ),
  );
  const { crv, kty, x, y } = createPublicKey(pem).export({ format: 'jwk' });
  // The thumbprint by hand: SHA-256 of the required members, in lexicographic order, no spaces.
  const thumbprint = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
  const [served] = tokens.jwks().keys;
  assert.deepEqual({ kid: served?.kid, x: served?.x, y: served?.y }, { kid: thumbprint, x, y });
});

test('when a key and a key id are configured, then the JWKS carries that id', async () => {
  const config = parseConfig({ JWT_PRIVATE_KEY: newEs256PrivateKeyPem(), JWT_KEY_ID: 'gavel-2026-01' });
  assert.equal((await tokenServiceFrom(config)).jwks().keys[0]?.kid, 'gavel-2026-01');
});

test('when the api or the worker runs in production without NOTIFICATION_LINK_SECRET, then a ConfigError names it', () => {
  const pem = newEs256PrivateKeyPem();
  assert.throws(() => parseConfig({ NODE_ENV: 'production' }, 'worker'), namesOnly(['NOTIFICATION_LINK_SECRET']));
  assert.throws(
    () => parseConfig({ NODE_ENV: 'production', JWT_PRIVATE_KEY: pem }, 'api'),
    namesOnly(['NOTIFICATION_LINK_SECRET']),
  );
});
