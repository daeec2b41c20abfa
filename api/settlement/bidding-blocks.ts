/**
 * Who may not bid for now: buyers with UNPAID_STRIKES_TO_BLOCK unpaid orders within the last
 * UNPAID_STRIKE_WINDOW_DAYS (domain/settlement/strikes.ts). Every bid asks, so the answer is in this
 * process's memory: the users blocked now and until when, loaded from Postgres at start, one user read
 * again when the worker publishes a new strike of theirs on BIDDING_BLOCKS_CHANNEL, and all of them
 * read again every RELOAD_MS, because pub/sub does not queue: a message lost while the subscriber was
 * reconnecting costs at most that long. A block whose time has passed is dropped when next asked.
 */
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../../db/pool.js';
import { unpaidStrikes } from '../../db/settlement-schema.js';
import { BIDDING_BLOCKS_CHANNEL, blockedUntilMs, type StrikePolicy } from '../../domain/settlement/strikes.js';
import { isAuctionId as isUuid } from '../auctions/ids.js';
import type { EventHub } from '../sse/hub.js';

/** How often the whole map is read again from Postgres: the longest a lost message leaves a block out. */
export const RELOAD_MS = 60_000;
/** How long start() waits for the first load before the API comes up without it (and tries again). */
const START_WAIT_MS = 5_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface BiddingBlocksDeps {
  db: Database;
  /** Its subscriber connection carries the channel (one server or a Cluster alike). */
  hub: EventHub;
  policy: StrikePolicy;
  logger: Logger;
  /** RELOAD_MS unless a test wants it sooner. */
  reloadMs?: number;
}

export class BiddingBlocks {
  /** user id → blocked until (ms since the epoch): only users blocked when last read. */
  private blocked = new Map<string, number>();
  /** Users read on their own while a full reload runs: the reload keeps what those reads found. */
  private readMeanwhile: Set<string> | null = null;
  private reloading = false;
  private failing = false;
  private listening: Promise<unknown> | null = null;
  private stopListening: (() => void) | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: BiddingBlocksDeps) {}

  /** Until when (ms) the user may not bid, or null if they may. Asked on every bid: a map read, nothing more. */
  blockedUntil(userId: string, nowMs = Date.now()): number | null {
    const until = this.blocked.get(userId);
    if (until === undefined) return null;
    if (until > nowMs) return until;
    this.blocked.delete(userId);
    return null;
  }

  /**
   * Listens, then loads (listening first, so no strike published around the load goes unheard), and
   * reloads every reloadMs. Waits a while for the first load, never for good: the API must come up
   * (bids need no Postgres) even when Postgres or the subscription is not there yet.
   */
  async start(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), this.deps.reloadMs ?? RELOAD_MS);
    this.timer.unref();
    await Promise.race([this.tick(), new Promise((resolve) => setTimeout(resolve, START_WAIT_MS).unref())]);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.stopListening?.();
  }

  /**
   * Reads every user blocked now. A user read again meanwhile (a strike published) keeps what that read
   * found: the reload's query may have run before their new strike was written.
   */
  async reload(): Promise<void> {
    if (this.reloading) return;
    this.reloading = true;
    this.readMeanwhile = new Set();
    try {
      const nowMs = Date.now();
      const recent = gt(unpaidStrikes.struckAt, new Date(nowMs - this.windowMs));
      const enough = this.deps.db
        .select({ userId: unpaidStrikes.userId })
        .from(unpaidStrikes)
        .where(recent)
        .groupBy(unpaidStrikes.userId)
        .having(sql`count(*) >= ${this.deps.policy.toBlock}`);
      const rows = await this.deps.db
        .select({ userId: unpaidStrikes.userId, struckAt: unpaidStrikes.struckAt })
        .from(unpaidStrikes)
        .where(and(recent, inArray(unpaidStrikes.userId, enough)));
      const strikes = new Map<string, number[]>();
      for (const { userId, struckAt } of rows) {
        const times = strikes.get(userId) ?? [];
        times.push(struckAt.getTime());
        strikes.set(userId, times);
      }
      const next = new Map<string, number>();
      for (const [userId, times] of strikes) {
        const until = blockedUntilMs(times, this.deps.policy, nowMs);
        if (until !== null) next.set(userId, until);
      }
      // A read still running writes to `next` once it lands; one done already left its answer here.
      for (const userId of this.readMeanwhile) {
        const current = this.blocked.get(userId);
        if (current === undefined) next.delete(userId);
        else next.set(userId, current);
      }
      this.blocked = next;
    } finally {
      this.readMeanwhile = null;
      this.reloading = false;
    }
  }

  /** One user's strikes, read again: a new one was published. */
  async readUser(userId: string): Promise<void> {
    this.readMeanwhile?.add(userId);
    const nowMs = Date.now();
    const rows = await this.deps.db
      .select({ struckAt: unpaidStrikes.struckAt })
      .from(unpaidStrikes)
      .where(and(eq(unpaidStrikes.userId, userId), gt(unpaidStrikes.struckAt, new Date(nowMs - this.windowMs))));
    const until = blockedUntilMs(
      rows.map((row) => row.struckAt.getTime()),
      this.deps.policy,
      nowMs,
    );
    if (until === null) this.blocked.delete(userId);
    else this.blocked.set(userId, until);
  }

  private get windowMs(): number {
    return this.deps.policy.windowDays * DAY_MS;
  }

  /** Listening (again, if the last attempt failed), then a reload; a failure is logged when it starts and ends. */
  private async tick(): Promise<void> {
    try {
      await this.listen();
      await this.reload();
      if (this.failing) this.deps.logger.info('bidding blocks are read again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.deps.logger.warn({ err: error }, 'bidding blocks cannot be read; using the last known');
      this.failing = true;
    }
  }

  private listen(): Promise<unknown> {
    this.listening ??= this.deps.hub
      .listen(BIDDING_BLOCKS_CHANNEL, (message) => this.onStrike(message))
      .then(
        (stop) => {
          if (this.stopped) stop();
          else this.stopListening = stop;
        },
        (error: unknown) => {
          this.listening = null; // the next tick subscribes anew
          throw error;
        },
      );
    return this.listening;
  }

  private onStrike(message: string): void {
    if (!isUuid(message)) return; // the channel carries user ids; anything else names nobody
    this.readUser(message).catch((error: unknown) =>
      // The next reload reads it.
      this.deps.logger.warn({ err: error, userId: message }, 'a bidding block could not be read'),
    );
  }
}
