/**
 * Keeps the read model up with the listing feed (lua/listing-feed.ts): a loop of blocking reads on a
 * connection of its own, each batch applied in the feed's order. After a failed read (Redis away) it
 * resumes after the last entry it applied, so nothing said meanwhile is missed, unless the feed was
 * trimmed past that entry: then it asks for a reconcile.
 */
import type { Logger } from 'pino';
import type { RedisClient } from '../../config/redis.js';
import type { Database } from '../../db/pool.js';
import { listingFeedGapAfter, readListingChanges, type FeedEntry } from '../../lua/listing-feed.js';
import { applyEntry, auctionItemOf, createdIdsIn, type NewItem } from './model-updates.js';
import { rowsByIds } from './postgres-source.js';
import { saleRowsByIds } from './sale-source.js';
import { saleItemOf } from './sale-updates.js';
import type { ListingReadModel } from './read-model.js';

const BATCH = 500;
/** Long enough to cost nothing while the feed is quiet; shutdown disconnects rather than waiting it out. */
const BLOCK_MS = 5000;
const RETRY_MS = 500;

export interface FeedReaderDeps {
  /** A connection for this reader alone: a blocking read holds it. */
  redis: RedisClient;
  db: Database;
  model: ListingReadModel;
  logger: Logger;
  /** Called when notes may have been missed: the model should reconcile from Postgres. */
  onGap: () => void;
}

export class FeedReader {
  private lastId = '0-0';
  private stopped = false;
  private readonly waiters = new Set<{ version: number; done: (applied: boolean) => void }>();

  constructor(private readonly deps: FeedReaderDeps) {}

  /** Applies every entry after `fromId` that the feed holds now, then returns. */
  async catchUp(fromId: string): Promise<void> {
    this.lastId = fromId;
    for (;;) {
      const entries = await readListingChanges(this.deps.redis, this.lastId, { count: BATCH });
      if (entries.length === 0) return;
      await this.apply(entries);
    }
  }

  /** Follows the feed from where catchUp stopped, until stop(). */
  start(): void {
    void this.follow();
  }

  stop(): void {
    this.stopped = true;
    for (const waiter of this.waiters) waiter.done(false);
  }

  /** Resolves true once the model has applied the feed up to `version`, false after `timeoutMs`. */
  waitFor(version: number, timeoutMs: number): Promise<boolean> {
    if (this.deps.model.version >= version) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        version,
        done: (applied: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(applied);
        },
      };
      const timer = setTimeout(() => waiter.done(false), timeoutMs).unref();
      this.waiters.add(waiter);
    });
  }

  private async follow(): Promise<void> {
    let failing = false;
    while (!this.stopped) {
      try {
        if (failing && (await listingFeedGapAfter(this.deps.redis, this.lastId))) this.deps.onGap();
        failing = false;
        await this.apply(await readListingChanges(this.deps.redis, this.lastId, { blockMs: BLOCK_MS, count: BATCH }));
      } catch (error) {
        // Stopped, or its connection closed for good (the API is shutting down).
        if (this.stopped || this.deps.redis.status === 'end') return;
        if (!failing) this.deps.logger.warn({ err: error }, 'listing feed: read failed; retrying');
        failing = true;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
      }
    }
  }

  private async apply(entries: FeedEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const created = await this.rowsOfCreated(entries);
    for (const entry of entries) {
      if (!entry.changes) this.deps.logger.warn({ entry: entry.streamId }, 'listing feed: unreadable note skipped');
      applyEntry(this.deps.model, entry, created);
    }
    this.lastId = entries[entries.length - 1]!.streamId;
    for (const waiter of this.waiters) if (this.deps.model.version >= waiter.version) waiter.done(true);
  }

  /**
   * The rows of the auctions and sales these entries create (a 'created' note names either: an id is
   * in one table or the other). With Postgres away the bids and statuses still apply; the new items
   * join at the next reconcile.
   */
  private async rowsOfCreated(entries: FeedEntry[]): Promise<Map<string, NewItem>> {
    try {
      const ids = createdIdsIn(entries, this.deps.model);
      const [auctionRows, saleRows] = await Promise.all([
        rowsByIds(this.deps.db, ids),
        saleRowsByIds(this.deps.db, ids),
      ]);
      return new Map([
        ...auctionRows.map((row) => [row.id, auctionItemOf(row)] as const),
        ...saleRows.map((row) => [row.id, saleItemOf(row)] as const),
      ]);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'listing feed: new auctions not loaded; the reconcile adds them');
      this.deps.onGap();
      return new Map();
    }
  }
}
