/**
 * Request budgets per client, counted in Redis (rate-limiter-flexible), so every API process draws on
 * one budget. Over budget a request is answered 429 RATE_LIMITED with Retry-After, before any work.
 *
 * Each budget is one Redis key (`ratelimit:<name>:<client>`) changed by one single-key script: nothing
 * here needs keys to share a slot, so it runs on Redis Cluster as it does on one server. The client part
 * of a key is never a client's text as sent: addresses are normalised (client-address.ts), user ids come
 * from verified tokens and are checked, emails are hashed.
 *
 * When Redis cannot answer, each process counts in its own memory instead (the insurance limiter):
 * limits then hold per process rather than across them, but sign-in never goes unthrottled, nor refuses
 * everyone, because of a Redis outage (docs/decisions.md, "Security").
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Cluster, Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitSpec } from '../../config/env.js';
import { AppError } from '../errors.js';
import { LeasedBudget, type Draw } from './leased-budget.js';

export interface LimiterOptions {
  /**
   * (A leased budget, leasedLimit, needs this off: it blocks in memory itself.)
   *
   * Once a key is over budget, refuse it from this process's memory until its window ends, so a flood
   * costs no Redis calls. Off for budgets that a success resets (a reset in one process could not lift
   * the block held in another).
   */
  blockInMemory?: boolean;
}

export function createLimiter(
  redis: Redis | Cluster,
  name: string,
  spec: RateLimitSpec,
  { blockInMemory = true }: LimiterOptions = {},
): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `ratelimit:${name}`,
    points: spec.points,
    duration: spec.durationSeconds,
    // The API's client has no offline queue: while it is not connected, go to the insurance at once.
    rejectIfRedisNotReady: true,
    inMemoryBlockOnConsumed: blockInMemory ? spec.points : 0,
    insuranceLimiter: new RateLimiterMemory({ points: spec.points, duration: spec.durationSeconds }),
  });
}

/** Whole seconds, at least 1: a client told 0 would retry at once and be refused again. */
export const retryAfterSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** A 429 in the error shape, with Retry-After (RFC 9110) on the response. */
export function tooManyRequests(res: Response, code: string, message: string, retryAfterMs: number): AppError {
  const seconds = retryAfterSeconds(retryAfterMs);
  res.set('Retry-After', String(seconds));
  return new AppError(429, code, message, { retryAfterSeconds: seconds });
}

/** The 429 of every rate limit here, counted per call or leased. */
const rateLimited = (res: Response, retryAfterMs: number) =>
  tooManyRequests(res, 'RATE_LIMITED', 'Too many requests; retry after the time given', retryAfterMs);

/** Which budget a request draws on; null when this limit does not apply to it. */
export type ClientKeyOf = (req: Request, res: Response) => string | null;

export interface RateLimitOptions {
  /** A successful answer (2xx) gives the key its whole budget back: limits only failures in a row. */
  resetOnSuccess?: boolean;
}

/** A budget counted per request, one Redis call each (the hot routes lease theirs: leasedLimit). */
export function rateLimit(
  limiter: RateLimiterRedis,
  keyOf: ClientKeyOf,
  { resetOnSuccess = false }: RateLimitOptions = {},
): RequestHandler {
  return async (req, res, next) => {
    const key = keyOf(req, res);
    if (key === null) return next();
    try {
      // Every attempt is counted before it runs, so parallel attempts cannot slip past the budget.
      await limiter.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      throw rateLimited(res, error.msBeforeNext);
    }
    if (resetOnSuccess) {
      res.once('finish', () => {
        // A reset that fails leaves the count to expire with its window: nothing to report.
        if (res.statusCode < 300) limiter.delete(key).catch(() => undefined);
      });
    }
    next();
  };
}

/**
 * A budget drawn in leases of several points (leased-budget.ts), for a hot route's chain
 * (api/hot-path.ts): nearly no Redis calls, exact within a process, never over budget across processes
 * while Redis answers, but possibly refusing early when several processes serve one key. Returns at
 * once when the lease in memory decides, a promise when one must be taken; throws (or rejects with)
 * the 429. Its limiter must not block in memory itself (createLimiter's blockInMemory off): that block
 * would not know of leases.
 */
export function leasedLimit(limiter: RateLimiterRedis, keyOf: ClientKeyOf) {
  const budget = new LeasedBudget(limiter);
  const answer = (res: Response, draw: Draw) => {
    if (!draw.allowed) throw rateLimited(res, draw.retryAfterMs);
  };
  return (req: Request, res: Response): void | Promise<void> => {
    const key = keyOf(req, res);
    if (key === null) return;
    const draw = budget.draw(key);
    return draw instanceof Promise ? draw.then((drawn) => answer(res, drawn)) : answer(res, draw);
  };
}

/** Ids, as tokens carry them, go into keys as they are; anything else would be hashed (never expected). */
const PLAIN_KEY_PART = /^[A-Za-z0-9_-]{1,64}$/;

export const keyPart = (value: string) => (PLAIN_KEY_PART.test(value) ? value : hashedKeyPart(value));

/** A fixed-length, fixed-alphabet stand-in for a value that must not appear in a key (an email, say). */
export const hashedKeyPart = (value: string) => createHash('sha256').update(value).digest('base64url');
