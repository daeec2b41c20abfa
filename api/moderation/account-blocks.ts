/**
 * Which accounts an admin has blocked (they may not bid, sell or claim), asked on every bid and claim,
 * so answered from this process's memory: the same pattern as the token revocations
 * (api/auth/revocations.ts). One Redis sorted set holds every account whose block state ever changed,
 * scored by that state's version with blocked in the lowest bit (domain/moderation/blocks.ts); every API
 * process re-reads it every BLOCK_POLL_MS, and the process that blocks or unblocks knows at once.
 *
 * Postgres (users.blocked_at, block_version) is the record. The set is refilled from it when the API
 * starts, and again every REFILL_MS, so a lost Redis (or a write to it that failed after the change
 * committed) costs at most that long. Writes are `ZADD GT` and memory keeps the highest score it has
 * seen, so no order of refills, polls and changes lets an older state win, and an emptied set unblocks
 * nobody in a running process.
 *
 * Why not a lookup per request: a bid already costs one Redis round trip and no Postgres at all
 * (docs/architecture.md, "Why this shape"). The price is that another process may accept a bid from a
 * just-blocked account for up to a second.
 */
import { gt } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { RedisClient } from '../../config/redis.js';
import type { Database } from '../../db/pool.js';
import { users } from '../../db/schema.js';
import { blockScore, isBlockedScore } from '../../domain/moderation/blocks.js';

/** Exported so a test can look at (or empty) the set. */
export const BLOCKS_KEY = 'moderation:account-blocks';
/** How often each process re-reads the set: the most another process can lag behind a block. */
export const BLOCK_POLL_MS = 1000;
/** How often the set is refilled from Postgres: the longest a lost Redis write leaves other processes behind. */
export const REFILL_MS = 60_000;
/** How long start() waits for the first refill before the API comes up without it (and tries again). */
const START_WAIT_MS = 5_000;
/** Members per ZADD of a refill. */
const REFILL_BATCH = 500;

export interface AccountBlocksDeps {
  db: Database;
  redis: RedisClient;
  logger: Logger;
  /** REFILL_MS unless a test wants it sooner. */
  refillMs?: number;
}

export class AccountBlocks {
  /** user id → the highest block score seen (odd: blocked). */
  private readonly scores = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private lastRefillMs = -Infinity;
  private failing = false;
  /** A tick still running (a slow refill) makes the next one skip, rather than pile up beside it. */
  private ticking = false;

  constructor(private readonly deps: AccountBlocksDeps) {}

  /** Asked on every bid and claim: a map read, nothing more. */
  isBlocked(userId: string): boolean {
    const score = this.scores.get(userId);
    return score !== undefined && isBlockedScore(score);
  }

  /**
   * A block or unblock committed in Postgres at `version`: known here at once, in every other process
   * within BLOCK_POLL_MS. Throws when Redis does not take it (the refill will carry it later).
   */
  async announce(userId: string, version: number, blocked: boolean): Promise<void> {
    const score = blockScore(version, blocked);
    this.remember(userId, score);
    await this.deps.redis.zadd(BLOCKS_KEY, 'GT', score, userId);
  }

  /** Every account whose block state ever changed, from Postgres, into memory and into the set. */
  async refill(): Promise<void> {
    const rows = await this.deps.db
      .select({ id: users.id, version: users.blockVersion, blockedAt: users.blockedAt })
      .from(users)
      .where(gt(users.blockVersion, 0));
    const members = rows.map((row) => ({ userId: row.id, score: blockScore(row.version, row.blockedAt !== null) }));
    for (const { userId, score } of members) this.remember(userId, score);
    for (let i = 0; i < members.length; i += REFILL_BATCH) {
      const batch = members.slice(i, i + REFILL_BATCH).flatMap(({ userId, score }) => [score, userId]);
      await this.deps.redis.zadd(BLOCKS_KEY, 'GT', ...batch);
    }
  }

  /** Reads the set; merged by score, never replacing, so an emptied set forgets nothing. */
  async sync(): Promise<void> {
    const entries = await this.deps.redis.zrange(BLOCKS_KEY, 0, -1, 'WITHSCORES');
    for (let i = 0; i + 1 < entries.length; i += 2) this.remember(entries[i]!, Number(entries[i + 1]));
  }

  /**
   * Refills, then reads the set every BLOCK_POLL_MS and refills every refillMs until stop(). Waits a
   * while for the first refill, never for good: the API must come up even while Postgres or Redis is
   * not there yet (the first refill is then retried at each tick until it works).
   */
  async start(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), BLOCK_POLL_MS);
    this.timer.unref();
    await Promise.race([this.tick(), new Promise((resolve) => setTimeout(resolve, START_WAIT_MS).unref())]);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** A failure is logged once when reads start failing and once when they work again. */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      if (Date.now() - this.lastRefillMs >= (this.deps.refillMs ?? REFILL_MS)) {
        await this.refill();
        this.lastRefillMs = Date.now();
      }
      await this.sync();
      if (this.failing) this.deps.logger.info('account blocks are read again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.deps.logger.warn({ err: error }, 'account blocks cannot be read; using the last known');
      this.failing = true;
    } finally {
      this.ticking = false;
    }
  }

  private remember(userId: string, score: number): void {
    if (Number.isSafeInteger(score) && score > (this.scores.get(userId) ?? -1)) this.scores.set(userId, score);
  }
}
