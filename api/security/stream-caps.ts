/**
 * Caps on open event streams (SSE) per client. Counted in this process, not in Redis: what a stream
 * costs (a socket, buffers, a listener) is this process's, a slot is given back by the same process the
 * moment its stream ends, and a process that dies takes its counts with it instead of leaving slots
 * held in Redis that nobody releases (docs/decisions.md, "Security").
 */
import type { RequestHandler } from 'express';
import { clientAddressOf } from './client-address.js';
import { tooManyRequests } from './rate-limits.js';

/** Streams end only when their clients leave, so no time is certain: this is a hint to back off. */
const RETRY_AFTER_MS = 5_000;

export interface StreamCapLimits {
  perIp: number;
  perUser: number;
}

export class StreamSlots {
  private readonly open = new Map<string, number>();

  /** How many streams hold a slot under this key. */
  count(key: string): number {
    return this.open.get(key) ?? 0;
  }

  /**
   * Takes one slot under every key, or none when any is full. The release it returns gives them back
   * and may be called more than once.
   */
  tryAcquire(claims: { key: string; max: number }[]): (() => void) | null {
    if (claims.some(({ key, max }) => this.count(key) >= max)) return null;
    for (const { key } of claims) this.open.set(key, this.count(key) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const { key } of claims) {
        const left = this.count(key) - 1;
        if (left > 0) this.open.set(key, left);
        else this.open.delete(key);
      }
    };
  }
}

/**
 * Before a stream opens: a slot for the client's address and, when a bearer token was verified before
 * this (optionalUser), one for the user; otherwise 429 TOO_MANY_STREAMS. Released when the response
 * closes, however it ends (the client leaves, an error, shutdown).
 */
export function capStreams(slots: StreamSlots, limits: StreamCapLimits): RequestHandler {
  return (req, res, next) => {
    const claims = [{ key: `ip:${clientAddressOf(req)}`, max: limits.perIp }];
    const userId: unknown = res.locals.userId;
    if (typeof userId === 'string') claims.push({ key: `user:${userId}`, max: limits.perUser });
    const release = slots.tryAcquire(claims);
    if (!release) {
      throw tooManyRequests(res, 'TOO_MANY_STREAMS', 'Too many event streams open; close one first', RETRY_AFTER_MS);
    }
    res.on('close', release); // not `once`: its wrapper would be kept per stream, and release is idempotent
    next();
  };
}
