/**
 * A started SSO sign-in, kept in Redis under its `state` until the provider sends the browser back:
 * the PKCE verifier and the nonce never leave the server, and the browser binding is kept as a hash.
 * Taken with GETDEL, so a state works once: a replayed callback finds nothing, also when two copies race.
 * The key expires after SSO_ATTEMPT_TTL_SECONDS, so abandoned sign-ins cost nothing for long.
 */
import { z } from 'zod';
import type { RedisClient } from '../../config/redis.js';
import { SSO_CLIENTS } from './schemas.js';

/** What openid-client's randomState() makes (32 random bytes, base64url); checked before it names a key. */
export const STATE = /^[A-Za-z0-9_-]{43}$/;

const attempt = z.object({
  providerId: z.string(),
  codeVerifier: z.string(),
  nonce: z.string(),
  bindingHash: z.string(),
  /** Who started it, when not just any client (schemas.ts, startQuery): how the callback answers. */
  client: z.enum(SSO_CLIENTS).optional(),
  /** A command-line sign-in's loopback address, its own state, and the PKCE challenge its code is bound to. */
  cli: z.object({ redirectUri: z.string(), state: z.string(), codeChallenge: z.string() }).optional(),
});
export type SsoAttempt = z.infer<typeof attempt>;

const keyOf = (state: string) => {
  if (!STATE.test(state)) throw new TypeError('not a state this API issued');
  return `sso:attempt:${state}`;
};

export class SsoAttempts {
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds: number,
  ) {}

  async save(state: string, value: SsoAttempt): Promise<void> {
    // NX: a state is random (256 bits), so a collision is a bug; never overwrite one in flight.
    const stored = await this.redis.set(keyOf(state), JSON.stringify(value), 'EX', this.ttlSeconds, 'NX');
    if (stored !== 'OK') throw new Error('an SSO state was issued twice');
  }

  /** The attempt, removed as it is read; null for a state never issued, expired, or already taken. */
  async take(state: string): Promise<SsoAttempt | null> {
    if (!STATE.test(state)) return null;
    const stored = await this.redis.getdel(keyOf(state));
    if (stored === null) return null;
    try {
      const parsed = attempt.safeParse(JSON.parse(stored));
      return parsed.success ? parsed.data : null;
    } catch {
      return null; // not something save() wrote: no attempt
    }
  }
}
