import assert from 'node:assert/strict';
import { createHash, createPublicKey, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createTokenService, InvalidTokenError, type TokenService } from '../api/auth/tokens.js';
import { VerifiedTokenCache } from '../api/auth/verified-token-cache.js';
import { claims, craftToken, es256Signer, hs256Signer, newEs256PrivateKeyPem, publicKeyPemOf } from './helpers/jwt.js';

const ISSUER = 'gavel-test';
const rejectsAsInvalid = (tokens: TokenService, token: string) =>
  assert.rejects(tokens.verify(token), (error: unknown) => error instanceof InvalidTokenError);

/** RFC 7638 by hand (not jose's): SHA-256 of the required members in lexicographic order. */
function thumbprintOf(pem: string): string {
  const { crv, kty, x, y } = createPublicKey(pem).export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
}

describe('with a configured key', async () => {
  const pem = newEs256PrivateKeyPem();
  const tokens = await createTokenService({ privateKey: pem, keyId: null, issuer: ISSUER, ttlSeconds: 900 });
  const kid = thumbprintOf(pem);
  const userId = randomUUID();
  /** A token as issue() would write it, signed with the service's own key, with whatever changed. */
  const crafted = (header: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) =>
    craftToken(
      { alg: 'ES256', kid, typ: 'JWT', ...header },
      claims({ sub: userId, iss: ISSUER, ...payload }),
      es256Signer(pem),
    );

  test('when a token is issued, then it verifies to its user', async () => {
    const issued = await tokens.issue(userId);
    assert.equal(issued.tokenType, 'Bearer');
    assert.equal(issued.expiresIn, 900);
    assert.deepEqual(await tokens.verify(issued.accessToken), { userId });
  });

  test('when a token is issued, then it is ES256 with the kid, and carries sub, iss, iat, exp = iat + ttl and jti', async () => {
    const { accessToken } = await tokens.issue(userId);
    const header = decodeProtectedHeader(accessToken);
    assert.equal(header.alg, 'ES256');
    assert.equal(header.kid, kid);
    const payload = decodeJwt(accessToken);
    assert.equal(payload.sub, userId);
    assert.equal(payload.iss, ISSUER);
    assert.ok(Math.abs(payload.iat! - Date.now() / 1000) < 5);
    assert.equal(payload.exp! - payload.iat!, 900);
    assert.match(String(payload.jti), /^[0-9a-f-]{36}$/);
    assert.notEqual(decodeJwt((await tokens.issue(userId)).accessToken).jti, payload.jti);
  });

  test('when the JWKS is read, then it holds the public key only, with its kid (the thumbprint), alg and use', () => {
    const { keys } = tokens.jwks();
    assert.equal(keys.length, 1);
    const [key] = keys;
    assert.deepEqual(Object.keys(key!).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    assert.deepEqual(
      { kid: key!.kid, alg: key!.alg, use: key!.use, kty: key!.kty, crv: key!.crv },
      { kid, alg: 'ES256', use: 'sig', kty: 'EC', crv: 'P-256' },
    );
    const expected = createPublicKey(pem).export({ format: 'jwk' });
    assert.deepEqual({ x: key!.x, y: key!.y }, { x: expected.x, y: expected.y });
  });

  test('when a token is made by hand like issue() makes it, then it verifies (so the refusals below are for their one flaw)', async () => {
    assert.deepEqual(await tokens.verify(crafted()), { userId });
  });

  test('when a token says alg none and has no signature, then it is refused', async () => {
    await rejectsAsInvalid(tokens, craftToken({ alg: 'none', typ: 'JWT' }, claims({ sub: userId, iss: ISSUER })));
    await rejectsAsInvalid(tokens, craftToken({ alg: 'none', kid, typ: 'JWT' }, claims({ sub: userId, iss: ISSUER })));
  });

  test('when a token is HS256-signed with the public key as the secret (key confusion), then it is refused', async () => {
    const publicPem = publicKeyPemOf(tokens.jwks().keys[0]!);
    for (const secret of [publicPem, Buffer.from(JSON.stringify(tokens.jwks().keys[0]))]) {
      const token = craftToken(
        { alg: 'HS256', kid, typ: 'JWT' },
        claims({ sub: userId, iss: ISSUER }),
        hs256Signer(secret),
      );
      await rejectsAsInvalid(tokens, token);
    }
  });

  test('when a token is signed by another ES256 key under this kid, then it is refused', async () => {
    const other = newEs256PrivateKeyPem();
    await rejectsAsInvalid(
      tokens,
      craftToken({ alg: 'ES256', kid, typ: 'JWT' }, claims({ sub: userId, iss: ISSUER }), es256Signer(other)),
    );
  });

  test('when a token names another kid or none, then it is refused even though the signature is good', async () => {
    await rejectsAsInvalid(tokens, crafted({ kid: 'another-key' }));
    await rejectsAsInvalid(tokens, crafted({ kid: undefined }));
  });

  test('when a token has another issuer, then it is refused', async () => {
    await rejectsAsInvalid(tokens, crafted({}, { iss: 'someone-else' }));
  });

  test('when a token has expired, then it is refused', async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    await rejectsAsInvalid(tokens, crafted({}, { iat: past - 900, exp: past }));
  });

  test('when a token lacks a subject or an expiry, then it is refused', async () => {
    await rejectsAsInvalid(tokens, crafted({}, { sub: undefined }));
    await rejectsAsInvalid(tokens, crafted({}, { sub: '' }));
    await rejectsAsInvalid(tokens, crafted({}, { exp: undefined }));
  });

  test('when a signed token is altered (another subject), then it is refused', async () => {
    const [header, , signature] = (await tokens.issue(userId)).accessToken.split('.');
    const payload = Buffer.from(JSON.stringify(claims({ sub: randomUUID(), iss: ISSUER }))).toString('base64url');
    await rejectsAsInvalid(tokens, `${header}.${payload}.${signature}`);
  });

  for (const garbage of ['', 'garbage', 'a.b.c', 'eyJhbGciOiJFUzI1NiJ9..', `${'a'.repeat(3000)}.b.c`]) {
    test(`when the token is malformed (${garbage.slice(0, 24)}), then it is refused as invalid`, async () => {
      await rejectsAsInvalid(tokens, garbage);
    });
  }

  test('when a token from another process (its own generated key) is presented, then it is refused', async () => {
    const other = await createTokenService({ privateKey: null, keyId: null, issuer: ISSUER, ttlSeconds: 900 });
    await rejectsAsInvalid(tokens, (await other.issue(userId)).accessToken);
  });

  test('when a key id is configured, then tokens and the JWKS carry it', async () => {
    const named = await createTokenService({ privateKey: pem, keyId: 'key-2026-01', issuer: ISSUER, ttlSeconds: 900 });
    assert.equal(named.jwks().keys[0]?.kid, 'key-2026-01');
    assert.equal(decodeProtectedHeader((await named.issue(userId)).accessToken).kid, 'key-2026-01');
  });
});

describe('without a configured key', async () => {
  const first = await createTokenService({ privateKey: null, keyId: null, issuer: ISSUER, ttlSeconds: 900 });
  const second = await createTokenService({ privateKey: null, keyId: null, issuer: ISSUER, ttlSeconds: 900 });

  test('when the service starts, then it generates a key of its own, and another start generates another', async () => {
    assert.notEqual(first.jwks().keys[0]?.kid, second.jwks().keys[0]?.kid);
    const { accessToken } = await first.issue('u1');
    assert.deepEqual(await first.verify(accessToken), { userId: 'u1' });
    await rejectsAsInvalid(second, accessToken);
  });
});

test('when a verified (so cached) token reaches its expiry, then it is refused all the same', async () => {
  const tokens = await createTokenService({ privateKey: null, keyId: null, issuer: ISSUER, ttlSeconds: 2 });
  const { accessToken } = await tokens.issue('u1');
  assert.deepEqual(await tokens.verify(accessToken), { userId: 'u1' });
  const expiresAtMs = decodeJwt(accessToken).exp! * 1000;
  await new Promise((resolve) => setTimeout(resolve, expiresAtMs - Date.now() + 20));
  await rejectsAsInvalid(tokens, accessToken);
});

test('when a token was verified before, then verifyCached answers its user at once; before, nothing', async () => {
  const tokens = await createTokenService({ privateKey: null, keyId: null, issuer: ISSUER, ttlSeconds: 900 });
  const { accessToken } = await tokens.issue('u1');
  assert.equal(tokens.verifyCached(accessToken), undefined);
  assert.equal(tokens.verifyCached('not.a.token'), undefined);
  await tokens.verify(accessToken);
  assert.deepEqual(tokens.verifyCached(accessToken), { userId: 'u1' });
});

describe('the verified-token cache', () => {
  test('when it is full, then the least recently used token is dropped first', () => {
    const cache = new VerifiedTokenCache(2, () => 0);
    const entry = (userId: string) => ({ userId, expiresAtMs: 1000, issuedAt: 0 });
    cache.set('a', entry('A'));
    cache.set('b', entry('B'));
    assert.equal(cache.get('a')?.userId, 'A'); // a is now the most recent
    cache.set('c', entry('C'));
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a')?.userId, 'A');
    assert.equal(cache.get('c')?.userId, 'C');
  });

  test('when an entry reaches its expiry, then it is no longer served, and is dropped', () => {
    let now = 0;
    const cache = new VerifiedTokenCache(10, () => now);
    cache.set('a', { userId: 'A', expiresAtMs: 1000, issuedAt: 0 });
    now = 999;
    assert.equal(cache.get('a')?.userId, 'A');
    now = 1000;
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.size, 0);
  });
});
