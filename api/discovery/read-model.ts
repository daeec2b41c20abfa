/**
 * The listing read model: every auction in memory, in one sorted index per order (ending, created,
 * price, bid count) for each of two partitions (live: scheduled and open; final: closed and cancelled),
 * once for all auctions and once per category, so a front page or a category page is a walk of a few
 * dozen items and never a query.
 *
 * It changes in two ways. Feed entries (lua/listing-feed.ts) are versioned: every process applies them
 * in the feed's one order, and the model remembers what each auction looked like before each of them,
 * so a cursor can ask for the order as it stood at its first page's version (api/discovery/listing-
 * query.ts). Corrections (the load and the reconcile from Postgres) are not: they repair what a lost
 * note left wrong, as if it had always been so.
 */
import type { AuctionResult } from '../../domain/auction-result.js';
import type { AuctionStatus } from '../../domain/auction-status.js';
import type { AuctionCategory } from '../../domain/categories.js';
import {
  isFinalStatus,
  isLaterStatus,
  NO_END_MS,
  stateOf,
  type BidState,
  type FixedFields,
  type Listed,
  type ListingKind,
  type ListingRecord,
  type ListingState,
} from './listing-record.js';
import { SortedList } from './sorted-list.js';
import { compareBy, INDEX_KEYS, type IndexName } from './sort-orders.js';

export type Partition = 'live' | 'final';
type Indexes = Record<IndexName, SortedList<Listed>>;

const INDEX_NAMES = Object.keys(INDEX_KEYS) as IndexName[];
/** The indexes whose keys a state change can move (an auction's creation time never changes). */
const MOVING_KEYS: [IndexName, (state: ListingState) => number][] = [
  ['ending', (state) => state.endsAtMs],
  ['price', (state) => state.price],
  ['bids', (state) => state.bidCount],
];
/** History is dropped in batches, not entry by entry (each drop moves the rest of the array). */
const PRUNE_BATCH = 64;

const makeIndexes = (): Indexes =>
  Object.fromEntries(INDEX_NAMES.map((name) => [name, new SortedList(compareBy(INDEX_KEYS[name]))])) as Indexes;

export const partitionOf = (status: AuctionStatus): Partition => (isFinalStatus(status) ? 'final' : 'live');

export class ListingReadModel {
  private readonly records = new Map<string, ListingRecord>();
  private readonly bySeller = new Map<string, Set<ListingRecord>>();
  private readonly strings = new Map<string, string>();
  private readonly indexes: Record<Partition, Indexes> = { live: makeIndexes(), final: makeIndexes() };
  /** The same indexes once more per kind: a `kind=sale` page walks the sales only, not every auction. */
  private readonly kindIndexes: Record<ListingKind, Record<Partition, Indexes>> = {
    auction: { live: makeIndexes(), final: makeIndexes() },
    sale: { live: makeIndexes(), final: makeIndexes() },
  };
  /** The same indexes once more per category: a category page walks its own auctions only. */
  private readonly categoryIndexes = new Map<AuctionCategory, Record<Partition, Indexes>>();
  /** The change list, least recently changed first: records changed after a version are at its end. */
  private oldest: ListingRecord | null = null;
  private newest: ListingRecord | null = null;
  /** States that ended at or before this version are no longer kept (no live cursor can ask for them). */
  private horizon = 0;
  /** The version of the last feed entry applied: the snapshot a first page reads. */
  version = 0;
  /** Counts every change to any record, versioned or not: a page computed at one generation holds while it does. */
  generation = 0;
  /**
   * Sales without an end, by id, with the wall time each settled: sold out, closed or cancelled (null
   * while units are available). Having no end to be let go by, they go this long after they settled
   * (evictSettledSalesBefore). A map beside the records, not a field of each: auctions pay nothing.
   */
  private readonly salesWithoutEnd = new Map<string, number | null>();

  get size(): number {
    return this.records.size;
  }

  get(id: string): ListingRecord | undefined {
    return this.records.get(id);
  }

  /**
   * An order's index over a partition, or over one category's items in it, or one kind's. With both a
   * category and a kind, the category's (the caller filters the kind: a category is the narrower).
   */
  index(partition: Partition, name: IndexName, category?: AuctionCategory, kind?: ListingKind): SortedList<Listed> {
    if (category !== undefined) return this.indexesOf(category)[partition][name];
    if (kind !== undefined) return this.kindIndexes[kind][partition][name];
    return this.indexes[partition][name];
  }

  /** An auction's records, or none; a seller's listing is read from here rather than from a whole index. */
  ofSeller(sellerId: string): Iterable<ListingRecord> {
    return this.bySeller.get(sellerId) ?? [];
  }

  /**
   * Adds an auction. From the feed, `addedAt` is the entry's version and the record joins the change
   * list (snapshots before it do not show it); from the load, 0 (it was always there).
   */
  add(
    fixed: FixedFields,
    bid: BidState,
    status: AuctionStatus,
    result: AuctionResult | null,
    addedAt: number,
    available = 1,
  ): ListingRecord {
    // Every field named, in one literal: an object built by spreading others took 3.5 times the memory
    // (bench/listing.bench.ts measures what a record costs).
    const record: ListingRecord = {
      id: fixed.id,
      kind: fixed.kind,
      // Thousands of auctions share a seller, a currency, a category: one copy of each string.
      sellerId: this.intern(fixed.sellerId),
      category: fixed.category && this.intern(fixed.category),
      startsAtMs: fixed.startsAtMs,
      createdAtMs: fixed.createdAtMs,
      title: fixed.title,
      description: fixed.description,
      currency: this.intern(fixed.currency),
      startingPrice: fixed.startingPrice,
      buyNowPrice: fixed.buyNowPrice,
      paymentWindowSeconds: fixed.paymentWindowSeconds,
      buyersPremiumBps: fixed.buyersPremiumBps,
      autoSecondChance: fixed.autoSecondChance,
      stock: fixed.stock,
      available,
      seq: bid.seq,
      price: bid.price,
      bidCount: bid.bidCount,
      leaderAlias: bid.leaderAlias,
      minimumNextBid: bid.minimumNextBid,
      reserveMet: bid.reserveMet,
      endsAtMs: bid.endsAtMs,
      status,
      result,
      revision: 0,
      addedAt,
      changedAt: addedAt,
      history: null,
      older: null,
      newer: null,
    };
    this.records.set(record.id, record);
    this.generation += 1;
    let mine = this.bySeller.get(record.sellerId);
    if (!mine) this.bySeller.set(record.sellerId, (mine = new Set()));
    mine.add(record);
    this.insertInto(partitionOf(status), INDEX_NAMES, record);
    if (addedAt > 0) this.moveToNewest(record);
    return record;
  }

  remove(id: string): void {
    const record = this.records.get(id);
    if (!record) return;
    this.deleteFrom(partitionOf(record.status), INDEX_NAMES, record);
    this.unlink(record);
    this.records.delete(id);
    this.salesWithoutEnd.delete(id);
    this.bySeller.get(record.sellerId)?.delete(record);
    this.generation += 1;
  }

  /**
   * Lets go of the closed and cancelled items that ended before `endingBeforeMs` (retention.ts): a walk
   * of the final partition's ending index from its start. Live auctions are never let go; a sale is let
   * go by its end whatever its phase (one sold out entirely finishes before its end, never closed), so
   * the live sales' ending index is walked too. Sales without an end sort last there (NO_END_MS).
   */
  evictEndedBefore(endingBeforeMs: number): number {
    const gone: string[] = [];
    const collect = (item: Listed) => {
      if (item.endsAtMs >= endingBeforeMs) return false;
      gone.push(item.id);
      return true;
    };
    this.indexes.final.ending.forEach(1, undefined, collect);
    this.kindIndexes.sale.live.ending.forEach(1, undefined, collect);
    for (const id of gone) this.remove(id);
    return gone.length;
  }

  /**
   * Lets go of the sales without an end that settled before `settledBeforeMs` (the bound ended auctions
   * go by). Sold out here means no unit available: a hold may still give units back, but holds last a
   * day at most, far less than the retention.
   */
  evictSettledSalesBefore(settledBeforeMs: number): number {
    const gone: string[] = [];
    for (const [id, settledAtMs] of this.salesWithoutEnd) {
      if (settledAtMs !== null && settledAtMs < settledBeforeMs) gone.push(id);
    }
    for (const id of gone) this.remove(id);
    return gone.length;
  }

  /**
   * Keeps a sale without an end's settled time up to date after a change; `atMs` is when it settled if
   * it has just now (a row's updated_at on a load, the wall time for a note). Other records: nothing.
   */
  trackSettlement(record: ListingRecord, atMs: number): void {
    if (record.kind !== 'sale' || record.endsAtMs !== NO_END_MS) return;
    const settled = isFinalStatus(record.status) || record.available === 0;
    if (!settled) this.salesWithoutEnd.set(record.id, null);
    else if ((this.salesWithoutEnd.get(record.id) ?? null) === null) this.salesWithoutEnd.set(record.id, atMs);
  }

  /** A newer bidding state (by seq); `version` null for a correction. False when it was not newer. */
  applyBid(record: ListingRecord, bid: BidState & { status: AuctionStatus }, version: number | null): boolean {
    if (bid.seq <= record.seq) return false;
    const status = isLaterStatus(record.status, bid.status) ? bid.status : record.status;
    this.setState(record, { price: bid.price, bidCount: bid.bidCount, endsAtMs: bid.endsAtMs, status }, version);
    record.seq = bid.seq;
    record.leaderAlias = bid.leaderAlias;
    record.minimumNextBid = bid.minimumNextBid;
    record.reserveMet = bid.reserveMet;
    record.revision += 1;
    this.generation += 1;
    return true;
  }

  /**
   * A sale's counts at its `version` (a note: only a newer one counts; a sale's record keeps the version
   * in `seq`), or as its row last copied them (`version` null: a correction). Counts order nothing: no
   * history entry.
   */
  applySaleCounts(record: ListingRecord, available: number, version: number | null): boolean {
    if (version !== null && version <= record.seq) return false;
    if (version !== null) record.seq = version;
    if (record.available === available) return false;
    record.available = available;
    record.revision += 1;
    this.generation += 1;
    this.trackSettlement(record, Date.now());
    return true;
  }

  /** A later status (statuses only move forward), and the result once there is one. */
  applyStatus(
    record: ListingRecord,
    status: AuctionStatus,
    result: AuctionResult | null,
    version: number | null,
  ): boolean {
    if (result && !record.result) {
      record.result = result;
      record.revision += 1;
      this.generation += 1;
    }
    if (!isLaterStatus(record.status, status)) return false;
    this.setState(record, { ...stateOf(record), status }, version);
    record.revision += 1;
    this.generation += 1;
    this.trackSettlement(record, Date.now());
    return true;
  }

  /** Records changed by feed entries after `version` (newest first). */
  changedSince(version: number): ListingRecord[] {
    const changed: ListingRecord[] = [];
    for (let record = this.newest; record && record.changedAt > version; record = record.older) changed.push(record);
    return changed;
  }

  /**
   * Forgets states that ended at or before `horizon` (no cursor still valid reads them), and takes the
   * records last changed by then off the change list.
   */
  prune(horizon: number): void {
    this.horizon = Math.max(this.horizon, horizon);
    while (this.oldest && this.oldest.changedAt <= this.horizon) {
      const record = this.oldest;
      record.history = null;
      this.unlink(record);
    }
    for (let record = this.oldest; record; record = record.newer) this.dropStale(record);
  }

  private setState(record: ListingRecord, next: ListingState, version: number | null): void {
    const before = stateOf(record);
    const from = partitionOf(before.status);
    const to = partitionOf(next.status);
    const moved =
      from === to ? MOVING_KEYS.filter(([, key]) => key(before) !== key(next)).map(([name]) => name) : INDEX_NAMES;
    this.deleteFrom(from, moved, record);
    Object.assign(record, next);
    this.insertInto(to, moved, record);
    if (version === null) return; // a correction: as if it had always been so
    (record.history ??= []).push({
      price: before.price,
      bidCount: before.bidCount,
      endsAtMs: before.endsAtMs,
      status: before.status,
      until: version,
    });
    record.changedAt = version;
    this.moveToNewest(record);
    this.dropStale(record);
  }

  private dropStale(record: ListingRecord): void {
    const history = record.history;
    if (!history) return;
    let stale = 0;
    while (stale < history.length && history[stale]!.until <= this.horizon) stale += 1;
    if (stale === history.length) record.history = null;
    else if (stale >= PRUNE_BATCH) history.splice(0, stale);
  }

  private intern<T extends string>(text: T): T {
    const known = this.strings.get(text);
    if (known !== undefined) return known as T;
    this.strings.set(text, text);
    return text;
  }

  private indexesOf(category: AuctionCategory): Record<Partition, Indexes> {
    let indexes = this.categoryIndexes.get(category);
    if (!indexes) this.categoryIndexes.set(category, (indexes = { live: makeIndexes(), final: makeIndexes() }));
    return indexes;
  }

  /** The index sets a record belongs to: all items', its kind's, and its category's. */
  private setsOf(record: ListingRecord): Record<Partition, Indexes>[] {
    const sets = [this.indexes, this.kindIndexes[record.kind]];
    if (record.category !== null) sets.push(this.indexesOf(record.category));
    return sets;
  }

  private insertInto(partition: Partition, names: IndexName[], record: ListingRecord): void {
    for (const indexes of this.setsOf(record)) for (const name of names) indexes[partition][name].insert(record);
  }

  private deleteFrom(partition: Partition, names: IndexName[], record: ListingRecord): void {
    for (const indexes of this.setsOf(record)) {
      for (const name of names) {
        if (!indexes[partition][name].delete(record)) throw new Error(`index ${name} lost auction ${record.id}`);
      }
    }
  }

  private moveToNewest(record: ListingRecord): void {
    this.unlink(record);
    record.older = this.newest;
    if (this.newest) this.newest.newer = record;
    this.newest = record;
    this.oldest ??= record;
  }

  private unlink(record: ListingRecord): void {
    const linked = record.older !== null || record.newer !== null || this.oldest === record;
    if (!linked) return;
    if (record.older) record.older.newer = record.newer;
    else this.oldest = record.newer;
    if (record.newer) record.newer.older = record.older;
    else this.newest = record.older;
    record.older = null;
    record.newer = null;
  }
}
