/**
 * Access tokens: JWTs signed with ES256 (an asymmetric key, so anyone can verify them from the JWKS and
 * only this service can mint them). Verification accepts exactly what issue() produces: alg ES256, this
 * key's kid, this issuer, a subject, an unexpired exp.
 */
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import { TOKEN_ALGORITHM, type IssuedToken, type Jwks } from './responses.js';
import type { AccessTokenRevocations } from './revocations.js';
import { loadSigningKey } from './signing-key.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

export interface TokenServiceOptions {
  /** PEM PKCS#8 P-256 private key; null generates one for this process only (development, tests). */
  privateKey: string | null;
  /** The kid; null uses the key's JWK thumbprint. */
  keyId: string | null;
  issuer: string;
  ttlSeconds: number;
  /** How many verified tokens to remember (default 10,000: a few MB). */
  cacheSize?: number;
  /** Users whose earlier tokens are refused (deleted accounts, cut sessions); none when absent. */
  revocations?: Pick<AccessTokenRevocations, 'isRevoked'>;
}

export interface TokenService {
  issue(userId: string): Promise<IssuedToken>;
  /** The token's user; throws InvalidTokenError for anything this service did not issue or that has expired. */
  verify(token: string): Promise<{ userId: string }>;
  /**
   * The user of a token this process verified before and still holds, at once (a hot route then waits
   * for nothing); undefined when it must go through verify. Throws InvalidTokenError when it was revoked.
   */
  verifyCached(token: string): { userId: string } | undefined;
  jwks(): Jwks;
}

/** Why a token was refused stays in `cause` (for logs); callers answer with one generic message. */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

/** Far longer than any token issue() writes; longer ones are refused before any parsing or caching. */
const MAX_TOKEN_LENGTH = 2048;

export async function createTokenService(options: TokenServiceOptions): Promise<TokenService> {
  const key = await loadSigningKey(options.privateKey, options.keyId);
  // An ES256 verify costs ~170 µs, more than a whole express request: verify each token once
  // (docs/architecture.md, "Why this shape").
  const cache = new VerifiedTokenCache(options.cacheSize ?? 10_000);

  // Given as a function so the kid is checked before any signature work; algorithms are pinned below,
  // so `alg: none` and HS256 signed with the public key (key confusion) never reach the key.
  const keyFor = (header: JWTHeaderParameters) => {
    if (header.kid !== key.keyId) throw new errors.JWKSNoMatchingKey('the token was not signed by this key');
    return key.publicKey;
  };

  async function verifyUncached(token: string) {
    const { payload } = await jwtVerify(token, keyFor, {
      algorithms: [TOKEN_ALGORITHM],
      issuer: options.issuer,
      requiredClaims: ['sub', 'exp', 'iat', 'jti'],
    });
    if (
      typeof payload.sub !== 'string' ||
      payload.sub === '' ||
      typeof payload.exp !== 'number' ||
      typeof payload.iat !== 'number'
    ) {
      throw new errors.JWTClaimValidationFailed('sub, exp and iat are required', payload);
    }
    return { userId: payload.sub, expiresAtMs: payload.exp * 1000, issuedAt: payload.iat };
  }

  // After the cache, on purpose: a revocation must reach tokens verified (and cached) before it.
  const refuseIfRevoked = ({ userId, issuedAt }: { userId: string; issuedAt: number }) => {
    if (options.revocations?.isRevoked(userId, issuedAt)) throw new InvalidTokenError('the token was revoked');
    return { userId };
  };

  const verifyCached = (token: string) => {
    const cached = cache.get(token);
    return cached && refuseIfRevoked(cached);
  };

  return {
    async issue(userId) {
      const issuedAt = Math.floor(Date.now() / 1000);
      const accessToken = await new SignJWT({})
        .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: key.keyId, typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(options.issuer)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + options.ttlSeconds)
        .setJti(randomUUID())
        .sign(key.privateKey);
      return { accessToken, tokenType: 'Bearer', expiresIn: options.ttlSeconds };
    },

    verifyCached,

    async verify(token) {
      const known = verifyCached(token);
      if (known) return known;
      if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('the token is too long');
      try {
        const verified = await verifyUncached(token);
        cache.set(token, verified); // failures are never cached: each is rechecked in full
        return refuseIfRevoked(verified);
      } catch (error) {
        if (error instanceof errors.JOSEError) throw new InvalidTokenError('the token is not valid', { cause: error });
        throw error;
      }
    },

    jwks: () => ({ keys: [{ ...key.publicJwk }] }),
  };
}
