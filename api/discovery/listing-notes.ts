/**
 * What an API process tells the listing feed (lua/listing-feed.ts), for every process's read model:
 * the auctions and sales it creates and cancels, the state after each bid it got an answer for, and a
 * sale's units available after each claim. Bids (and claims) are coalesced per auction (per sale) for
 * FLUSH_MS (the latest state wins), so a hot auction costs a note every FLUSH_MS per process, not one
 * per bid, and a bid reaches the listings well within a second. Best
 * effort: a note lost with a dying process, or refused by Redis, is repaired by the reconcile.
 */
import type { Logger } from 'pino';
import type { RedisClient } from '../../config/redis.js';
import type { AuctionStatus } from '../../domain/auction-status.js';
import type { PublicBidState } from '../../domain/bidding.js';
import { appendListingChanges, type ListingChange } from '../../lua/listing-feed.js';

const FLUSH_MS = 10;

type BidChange = Extract<ListingChange, { kind: 'bid' }>;
type SaleCountsChange = Extract<ListingChange, { kind: 'saleCounts' }>;

export class ListingNotes {
  private pending = new Map<string, BidChange>();
  /**
   * Sale counts, coalesced the same way, and appended in entries of their own: a process still on code
   * that cannot read them skips those entries whole, never a bid note beside them.
   */
  private pendingSales = new Map<string, SaleCountsChange>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: RedisClient,
    private readonly logger: Logger,
  ) {}

  /** A bid's or a retraction's answer: the state after it, the leader by alias too. */
  bidAccepted(auctionId: string, state: PublicBidState & { seq: number; leaderAlias: number | null }): void {
    const known = this.pending.get(auctionId);
    if (known && known.seq >= state.seq) return;
    this.pending.set(auctionId, {
      kind: 'bid',
      id: auctionId,
      seq: state.seq,
      price: state.price,
      leaderId: state.leaderId,
      leaderAlias: state.leaderAlias,
      minimumNextBid: state.minimumNextBid,
      endsAtMs: state.endsAtMs,
      bidCount: state.bidCount,
      reserveMet: state.reserveMet,
      status: state.status,
    });
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  /** A claim's counts (the sale's version orders them): one cheap map write, never awaited by the claim route. */
  saleCounts(saleId: string, version: number, available: number): void {
    const known = this.pendingSales.get(saleId);
    if (known && known.version >= version) return;
    this.pendingSales.set(saleId, { kind: 'saleCounts', id: saleId, version, available });
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  /** The feed entry's id, or null when it could not be appended. */
  async created(auctionId: string): Promise<string | null> {
    return this.append([{ kind: 'created', id: auctionId }]);
  }

  /** An auction's status, or a sale's phase (the same words). */
  async statusChanged(id: string, status: AuctionStatus): Promise<void> {
    await this.append([{ kind: 'status', id, status, result: null }]);
  }

  private flush(): void {
    this.timer = null;
    const changes = [...this.pending.values()];
    const saleChanges = [...this.pendingSales.values()];
    this.pending = new Map();
    this.pendingSales = new Map();
    if (changes.length > 0) void this.append(changes);
    if (saleChanges.length > 0) void this.append(saleChanges);
  }

  private async append(changes: ListingChange[]): Promise<string | null> {
    try {
      return await appendListingChanges(this.redis, changes);
    } catch (error) {
      this.logger.warn(
        { err: error, notes: changes.length },
        'listing feed: notes not appended; the reconcile repairs',
      );
      return null;
    }
  }
}
