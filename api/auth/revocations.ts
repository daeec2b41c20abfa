/**
 * Access tokens refused before they expire: those of a deleted account, and those issued before an
 * account's sessions were cut (an SSO link that took over a password account). Access tokens are
 * stateless JWTs, so a revocation is a rule — "this user's tokens issued before second N" — kept in one
 * Redis sorted set (member user id, score N) that every API process reads every second into memory.
 *
 * Why not a Redis lookup per request: a bid already costs one Redis round trip, and an ES256 verify is
 * cached so a bid pays none (docs/architecture.md, "Why this shape"); a second round trip on every
 * authenticated request would cost more than the whole verification did. The price is that another
 * process may accept a revoked token for up to a second (the poll); the process that revokes refuses it
 * at once. docs/decisions.md, "Sign-in with SSO".
 */
import type { Logger } from 'pino';
import type { RedisClient } from '../../config/redis.js';

/** Exported so a test can tell this background poll from a request's Redis calls. */
export const REVOCATIONS_KEY = 'auth:token-revocations';
/** How often each process re-reads the set: the most another process can lag behind a revocation. */
export const REVOCATION_POLL_MS = 1000;

const nowSeconds = () => Math.floor(Date.now() / 1000);

export class AccessTokenRevocations {
  /** user id → tokens issued (iat) before this epoch second are refused. */
  private readonly notBefore = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: RedisClient,
    /** The access tokens' lifetime: a rule older than this refuses only tokens that have expired anyway. */
    private readonly tokenTtlSeconds: number,
    private readonly logger: Logger,
  ) {}

  isRevoked(userId: string, issuedAt: number): boolean {
    const notBefore = this.notBefore.get(userId);
    return notBefore !== undefined && issuedAt < notBefore;
  }

  /**
   * Refuses the user's tokens issued before `notBefore` (epoch seconds), in this process at once and in
   * every other within REVOCATION_POLL_MS. Written to Redis first: if that fails, nothing is promised.
   */
  async revoke(userId: string, notBefore: number): Promise<void> {
    // GT: a later rule never gives back what an earlier one refused.
    await this.redis.zadd(REVOCATIONS_KEY, 'GT', notBefore, userId);
    // Rules whose every token has expired refuse nothing any more.
    await this.redis.zremrangebyscore(REVOCATIONS_KEY, '-inf', `(${nowSeconds() - this.tokenTtlSeconds}`);
    this.remember(userId, notBefore);
  }

  /** Reads the rules that still matter; merged, never replacing, so a revoke() racing the read is kept. */
  async sync(): Promise<void> {
    const oldest = nowSeconds() - this.tokenTtlSeconds;
    const entries = await this.redis.zrangebyscore(REVOCATIONS_KEY, oldest, '+inf', 'WITHSCORES');
    for (let i = 0; i + 1 < entries.length; i += 2) this.remember(entries[i]!, Number(entries[i + 1]));
    for (const [userId, notBefore] of this.notBefore) if (notBefore < oldest) this.notBefore.delete(userId);
  }

  /**
   * Syncs every REVOCATION_POLL_MS until stop(). A failed read keeps what is known; it is logged once
   * when reads start failing and once when they work again, not every second of a Redis outage.
   */
  start(): void {
    let failing = false;
    const tick = () =>
      this.sync().then(
        () => {
          if (failing) this.logger.info('token revocations are read again');
          failing = false;
        },
        (error: unknown) => {
          if (!failing) this.logger.warn({ err: error }, 'token revocations cannot be read; using the last known');
          failing = true;
        },
      );
    this.timer = setInterval(() => void tick(), REVOCATION_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private remember(userId: string, notBefore: number): void {
    if (notBefore > (this.notBefore.get(userId) ?? -Infinity)) this.notBefore.set(userId, notBefore);
  }
}
