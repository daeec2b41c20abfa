/**
 * Tickets for a browser's EventSource, which cannot send an Authorization header: a signed-in client
 * asks for one (POST /v1/users/me/events/ticket) and opens the stream with ?ticket=. A ticket is 256
 * random bits, lives a minute, and works once (GETDEL): one that leaks through a log or a Referer is
 * already spent or about to expire. Only its hash is stored. docs/SECURITY.md, "Live notification streams".
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../../config/redis.js';

export const STREAM_TICKET_TTL_MS = 60_000;

const keyOf = (ticket: string) => `stream-ticket:${createHash('sha256').update(ticket).digest('base64url')}`;

export class StreamTickets {
  constructor(private readonly redis: RedisClient) {}

  async issue(userId: string): Promise<{ ticket: string; expiresAt: string }> {
    const ticket = randomBytes(32).toString('base64url');
    await this.redis.set(keyOf(ticket), userId, 'PX', STREAM_TICKET_TTL_MS);
    return { ticket, expiresAt: new Date(Date.now() + STREAM_TICKET_TTL_MS).toISOString() };
  }

  /** The user the ticket was issued to, once; null for an unknown, used or expired ticket. */
  async redeem(ticket: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) return null;
    return this.redis.getdel(keyOf(ticket));
  }
}
