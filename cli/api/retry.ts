/**
 * Retries for the two requests that say they are safe to repeat with the same Idempotency-Key, bids and
 * claims (docs/api.md): a 503 (a dependency was down for a moment) or an answer lost on the way gets the
 * original decision when sent again, never a second bid or claim. Anything else is answered at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiRefusal, UnreachableError } from '../errors.js';

const ATTEMPTS = 3;

export async function withIdempotentRetries<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const unavailable = error instanceof ApiRefusal && error.status === 503;
      if (attempt >= ATTEMPTS || !(unavailable || error instanceof UnreachableError)) throw error;
      const wait = unavailable ? Number(error.details.retryAfterSeconds ?? 1) : 1;
      await sleep(Math.min(Math.max(wait, 1), 5) * 1000);
    }
  }
}
