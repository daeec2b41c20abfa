/**
 * Discovery, wired: the listing read model, loaded from Postgres at start, then kept up by the listing
 * feed, and reconciled from Postgres every DISCOVERY_RECONCILE_SECONDS as a safety net for notes that
 * never came (from the rows changed since the last look, so its cost follows the write rate, not the
 * catalogue); the notes this process sends; and the listing use case.
 */
import type { Logger } from 'pino';
import type { RedisClient } from '../../config/redis.js';
import type { Database } from '../../db/pool.js';
import { listingFeedTail, versionOf } from '../../lua/listing-feed.js';
import type { ListAuctionsQuery } from '../auctions/schemas.js';
import { FeedReader } from './feed-reader.js';
import { FirstPageCache } from './first-pages.js';
import { ItemJsonCache } from './item-json.js';
import { listingPage } from './listing-page.js';
import { ListingNotes } from './listing-notes.js';
import type { ListingKind } from './listing-record.js';
import { applyRow, applyState } from './model-updates.js';
import { allRows, existingIds, rowsByIds, rowsChangedSince } from './postgres-source.js';
import { allSaleRows, existingSaleIds, saleRowsByIds, saleRowsChangedSince } from './sale-source.js';
import { applySaleRow, applySaleState } from './sale-updates.js';
import { ListingReadModel } from './read-model.js';
import { keptEndingFromMs } from './retention.js';

export interface DiscoveryDeps {
  db: Database;
  /** The API's command connection (notes, the feed's tail). */
  redis: RedisClient;
  /** A connection for the feed reader's blocking reads alone. */
  feedRedis: RedisClient;
  logger: Logger;
  reconcileMs: number;
  cursorTtlMs: number;
  /** How long after its end an auction stays listed (retention.ts). */
  endedListedMs: number;
  searchMaxMatches: number;
}

/** Retry a failed start this often (Postgres or Redis not there yet). */
/** How long start() waits for the first load before the API comes up without it (listings answer 503). */
const START_WAIT_MS = 5_000;
const START_RETRY_MS = 2000;
/** A creator waits at most this long to see its own auction listed before answering anyway. */
const CREATED_VISIBLE_WAIT_MS = 1000;
/** Rendered auctions kept for the next listings: a few front pages' worth many times over, ~1 KB each. */
const ITEM_JSON_CACHE_SIZE = 5000;
/**
 * A reconcile reads the rows changed since this long before its last look: writers' clocks (updated_at
 * is set by whichever process writes) and transactions that commit a moment after they stamped a row.
 */
const RECONCILE_OVERLAP_MS = 60_000;
/** Every this many reconciles, also check that the live auctions' rows still exist. */
const SWEEP_EVERY = 10;
const SWEEP_BATCH = 1000;
/** First pages kept (each ~20 KB): the distinct hot queries, filters and page sizes, of a busy minute. */
const FIRST_PAGE_CACHE_SIZE = 500;
/** States are kept a little beyond the cursor lifetime, for processes a moment behind in the feed. */
const HISTORY_MARGIN_MS = 60_000;

export class Discovery {
  readonly model = new ListingReadModel();
  readonly notes: ListingNotes;
  private readonly feed: FeedReader;
  private readonly itemJson = new ItemJsonCache(ITEM_JSON_CACHE_SIZE);
  private readonly firstPages = new FirstPageCache(FIRST_PAGE_CACHE_SIZE);
  private ready = false;
  private reconciling: Promise<void> | null = null;
  private followUp: Promise<void> | null = null;
  private sweepAgain = false;
  /** When the last reconcile (or the load) began reading Postgres, on this process's clock. */
  private lastLookAt = 0;

  constructor(private readonly deps: DiscoveryDeps) {
    this.notes = new ListingNotes(deps.redis, deps.logger);
    this.feed = new FeedReader({
      redis: deps.feedRedis,
      db: deps.db,
      model: this.model,
      logger: deps.logger,
      onGap: () => void this.reconcile(),
    });
  }

  get isReady(): boolean {
    return this.ready;
  }

  /**
   * Loads the model and starts following the feed. If Postgres or Redis is not there, the listing
   * answers 503 while this keeps trying in the background.
   */
  async start(): Promise<void> {
    // Waits a while so a healthy start serves listings at once, but never for good: a command on a
    // Redis Cluster that cannot connect waits without end, and the API must still come up (and say 503).
    await Promise.race([this.loadUntilLoaded(), new Promise((resolve) => setTimeout(resolve, START_WAIT_MS).unref())]);
  }

  private async loadUntilLoaded(): Promise<void> {
    try {
      await this.load();
    } catch (error) {
      if (this.deps.feedRedis.status === 'end') return; // the API has shut down meanwhile
      this.deps.logger.warn({ err: error }, 'listing read model not loaded; retrying');
      setTimeout(() => void this.loadUntilLoaded(), START_RETRY_MS).unref();
    }
  }

  /** One page of GET /v1/auctions, as JSON text. */
  list(query: ListAuctionsQuery): Promise<string> {
    return listingPage(
      {
        model: this.model,
        itemJson: this.itemJson,
        firstPages: this.firstPages,
        feed: this.feed,
        db: this.deps.db,
        isReady: () => this.ready,
        cursorTtlMs: this.deps.cursorTtlMs,
        endedListedMs: this.deps.endedListedMs,
        searchMaxMatches: this.deps.searchMaxMatches,
      },
      query,
    );
  }

  /**
   * Tells every listing of a new auction or sale, and waits (briefly) until this process lists it: the
   * seller's next listing, from this process, shows it.
   */
  async announceCreated(id: string): Promise<void> {
    const entryId = await this.notes.created(id);
    if (entryId !== null && this.ready) await this.feed.waitFor(versionOf(entryId), CREATED_VISIBLE_WAIT_MS);
  }

  /**
   * Repairs the model from Postgres: whatever notes never said (lost with a process, or trimmed away)
   * is in the rows changed since the last look. With `sweep`, also drops the auctions whose rows no
   * longer exist (a creation undone). One at a time.
   */
  async reconcile({ sweep = false } = {}): Promise<void> {
    // Asked again while one runs (gaps during a Postgres outage come in bursts): every request made
    // meanwhile shares one more run after it, instead of queueing a run each.
    if (this.reconciling) {
      this.sweepAgain ||= sweep;
      this.followUp ??= this.reconciling.then(() => {
        const sweepNext = this.sweepAgain;
        this.sweepAgain = false;
        this.followUp = null;
        return this.reconcile({ sweep: sweepNext });
      });
      return this.followUp;
    }
    this.reconciling = this.reconcileOnce(sweep)
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'listing reconcile failed'))
      .finally(() => {
        this.reconciling = null;
      });
    return this.reconciling;
  }

  private async load(): Promise<void> {
    const startedAt = Date.now();
    // The feed's position first: whatever happens during the load is in the feed after it.
    const tail = await listingFeedTail(this.deps.feedRedis);
    this.model.version = Math.max(this.model.version, versionOf(tail));
    const keptFrom = new Date(this.keptEndingFromMs(startedAt));
    for await (const rows of allRows(this.deps.db, keptFrom)) for (const row of rows) applyRow(this.model, row, 0);
    for await (const rows of allSaleRows(this.deps.db, keptFrom))
      for (const row of rows) applySaleRow(this.model, row, 0);
    this.lastLookAt = startedAt;
    await this.feed.catchUp(tail);
    this.feed.start();
    this.ready = true;
    let runs = 0;
    const timer = setInterval(() => {
      // The feed's connection closed for good: the API has shut down.
      if (this.deps.feedRedis.status === 'end') return clearInterval(timer);
      runs += 1;
      void this.reconcile({ sweep: runs % SWEEP_EVERY === 0 });
    }, this.deps.reconcileMs).unref();
    this.deps.logger.info({ items: this.model.size }, 'listing read model loaded');
  }

  private async reconcileOnce(sweep: boolean): Promise<void> {
    try {
      await this.repairFromPostgres(sweep);
    } finally {
      // Even while Postgres is down: notes keep adding history, and only this trims it.
      this.model.prune((Date.now() - this.deps.cursorTtlMs - HISTORY_MARGIN_MS) * 1000);
      // Last, so an old auction a repair just read back (its row changed) goes again at once.
      const keptFrom = this.keptEndingFromMs(Date.now());
      this.model.evictEndedBefore(keptFrom);
      this.model.evictSettledSalesBefore(keptFrom);
    }
  }

  private keptEndingFromMs(nowMs: number): number {
    return keptEndingFromMs(nowMs, this.deps.endedListedMs, this.deps.cursorTtlMs);
  }

  private async repairFromPostgres(sweep: boolean): Promise<void> {
    const startedAt = Date.now();
    const since = new Date(this.lastLookAt - RECONCILE_OVERLAP_MS);
    for await (const rows of rowsChangedSince(this.deps.db, since)) {
      const unknown = rows.filter((row) => !applyState(this.model, row)).map((row) => row.id);
      // Auctions whose creation note never came: their whole rows.
      for (const row of await rowsByIds(this.deps.db, unknown)) applyRow(this.model, row, this.model.version);
    }
    for await (const rows of saleRowsChangedSince(this.deps.db, since)) {
      const unknown = rows.filter((row) => !applySaleState(this.model, row)).map((row) => row.id);
      for (const row of await saleRowsByIds(this.deps.db, unknown)) applySaleRow(this.model, row, this.model.version);
    }
    this.lastLookAt = startedAt;
    if (sweep) await this.dropDeleted();
  }

  /** The live auctions and sales whose rows are gone, in batches of ids (each an index lookup). */
  private async dropDeleted(): Promise<void> {
    await this.dropDeletedOf('auction', existingIds);
    await this.dropDeletedOf('sale', existingSaleIds);
  }

  private async dropDeletedOf(
    kind: ListingKind,
    existing: (db: Database, ids: string[]) => Promise<Set<string>>,
  ): Promise<void> {
    const live = this.model
      .index('live', 'created', undefined, kind)
      .toArray()
      .map((item) => item.id);
    for (let i = 0; i < live.length; i += SWEEP_BATCH) {
      const batch = live.slice(i, i + SWEEP_BATCH);
      const exists = await existing(this.deps.db, batch);
      for (const id of batch) if (!exists.has(id)) this.model.remove(id);
    }
  }
}
