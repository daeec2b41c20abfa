/**
 * The one-time codes that end a command-line sign-in (`client=cli`): the callback, once the provider has
 * vouched for the person, sends the browser to the program's loopback address with a code instead of
 * tokens (a URL lands in histories and logs; a code that works once, for a minute, and only with its
 * PKCE verifier is worth nothing there). The program trades it at POST /v1/auth/sso/token.
 *
 * Kept in Redis under the code's SHA-256 (a Redis dump holds nothing to redeem), with the account and the
 * S256 challenge the program sent at the start; taken with GETDEL, so a code is spent by its first
 * use, right or wrong: a guessed verifier costs the guesser the code, never gives a second try.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RedisClient } from '../../config/redis.js';

/** Long enough for a program to make one request once the browser reaches it. */
export const CLI_CODE_TTL_SECONDS = 60;

const CODE = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const keyOf = (code: string) => `sso:cli-code:${sha256(code).toString('hex')}`;

interface Grant {
  userId: string;
  codeChallenge: string;
}

export class SsoCliCodes {
  constructor(private readonly redis: RedisClient) {}

  /** A fresh code (32 random bytes, base64url) for `grant`. */
  async issue(grant: Grant): Promise<string> {
    const code = randomBytes(32).toString('base64url');
    await this.redis.set(keyOf(code), JSON.stringify(grant), 'EX', CLI_CODE_TTL_SECONDS, 'NX');
    return code;
  }

  /** The account the code signs in, if it is live and `verifier` is the one behind its challenge; null otherwise. */
  async redeem(code: string, verifier: string): Promise<string | null> {
    if (!CODE.test(code)) return null;
    const stored = await this.redis.getdel(keyOf(code));
    if (stored === null) return null;
    const grant = JSON.parse(stored) as Grant;
    const expected = Buffer.from(grant.codeChallenge, 'base64url');
    const actual = sha256(verifier);
    return expected.length === actual.length && timingSafeEqual(expected, actual) ? grant.userId : null;
  }
}
