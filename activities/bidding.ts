/**
 * The activities between Redis (where bids are decided) and Postgres (where they are remembered).
 * Each is idempotent: a retry after a crash re-reads, re-inserts with ON CONFLICT DO NOTHING,
 * re-closes (the close script answers the same), re-writes the same result.
 */
import { Context } from '@temporalio/activity';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { RedisClient } from '../config/redis.js';
import { publish } from '../config/redis-pubsub.js';
import type { AuctionResult } from '../domain/auction-result.js';
import type { AuctionStatus } from '../domain/auction-status.js';
import type { Database } from '../db/pool.js';
import { auctions, bids } from '../db/schema.js';
import {
  auctionKeys,
  type BiddingStore,
  type CloseResult,
  type StreamBid,
  type StreamEntry,
} from '../lua/bidding-store.js';
import { inPersistSpan } from '../tracing/bid-links.js';
import { noActivityMetrics, type ActivityMetrics } from './metrics.js';
import { recordRetractions } from './retractions.js';
import { recordDoublings } from './promotions/record-doublings.js';
import { noteStatusChange } from './listing-notes.js';
import { notifyOutbids } from './notifications/outbid.js';
import type { NotificationPipeline } from './notifications/pipeline.js';

/** Stream entries kept after they are persisted, so most SSE replays are served from Redis. */
const STREAM_REPLAY_TAIL = 1000;
const READ_BATCH = 1000;
const PERSIST_POLL_MS = 50;
const PERSIST_QUIET_MS = 300;
// Well under the workflow task timeout (10 s) that a local activity must fit in.
const PERSIST_LINGER_MAX_MS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PersistOutcome {
  persistedSeq: number;
  endsAtMs: number | null;
  status: AuctionStatus | null;
}

export interface RecordResult {
  auctionId: string;
  result: AuctionResult;
  endsAtMs: number;
  bidCount: number;
}

/**
 * `stopping` is aborted when the worker begins to shut down. The SDK (1.24) tells an activity nothing
 * until shutdownGraceTime has passed, and only then cancels it; a persist cycle must not linger into
 * that: under a steady bid load each lingering cycle ends in a workflow task that starts the next, so a
 * worker told to stop would keep persisting, and never drain.
 */
export function createBiddingActivities(
  db: Database,
  redis: RedisClient,
  store: BiddingStore,
  notifications: NotificationPipeline | null,
  stopping: AbortSignal = new AbortController().signal,
  metrics: ActivityMetrics = noActivityMetrics,
) {
  /**
   * The auction row's copy of the bidding state (price, leader, bid count, a soft-close end), as of the
   * last persisted stream entry, for the listing read models to load and reconcile from (api/discovery/).
   * Only forward, by seq: a retried or late batch never takes it back. The end only moves later here (a
   * buy-now's earlier end is written with the result), so the row always keeps ends_at > starts_at.
   */
  async function copyBiddingState(auctionId: string, last: StreamEntry): Promise<void> {
    await db
      .update(auctions)
      .set({
        currentPrice: last.amount,
        leaderId: last.leaderId,
        leaderAlias: last.leaderAlias,
        bidCount: last.bidCount,
        biddingSeq: last.seq,
        endsAt: sql`GREATEST(${auctions.endsAt}, ${new Date(last.endsAtMs).toISOString()}::timestamptz)`,
      })
      .where(and(eq(auctions.id, auctionId), lt(auctions.biddingSeq, last.seq)));
  }

  /**
   * One pass over the stream after `afterSeq`, in batches; returns the highest seq now in Postgres.
   * Each batch's outbids are notified after its bids are stored: a crash in between repeats the batch,
   * and the notifications' dedupe keys make the repeat write nothing twice. The first read starts one
   * entry early, at `afterSeq` itself (the stream keeps a tail of persisted bids): who led before the
   * new bids, at no extra call.
   */
  async function copyNewBids(auctionId: string, afterSeq: number): Promise<number> {
    let highWater = afterSeq;
    let leader: string | null = null;
    let first = afterSeq > 0;
    for (;;) {
      let batch = await store.readBids(auctionId, first ? highWater - 1 : highWater, READ_BATCH);
      if (first && batch[0]?.seq === highWater) {
        leader = batch[0].leaderId;
        batch = batch.slice(1);
      }
      first = false;
      if (batch.length === 0) return highWater;
      const placed = batch.filter((entry): entry is StreamBid => entry.type === 'bid');
      if (placed.length > 0) {
        await inPersistSpan(auctionId, placed, () =>
          db
            .insert(bids)
            .values(
              placed.map((bid) => ({
                auctionId,
                seq: bid.seq,
                bidderId: bid.bidderId,
                amount: bid.amount,
                maxAmount: bid.maxAmount,
                kind: bid.kind,
                placedAt: new Date(bid.placedAtMs),
                bidderAlias: bid.bidderAlias,
                bidCountAfter: bid.bidCount,
              })),
            )
            .onConflictDoNothing(),
        );
        // Redis's clock stamped placedAtMs; the worker's may differ by the hosts' skew.
        const now = Date.now();
        for (const bid of placed) metrics.bidPersisted(Math.max(0, now - bid.placedAtMs) / 1000);
      }
      // After the bids: a retraction takes back bids before it, which this batch may have just stored.
      await recordRetractions(db, auctionId, batch);
      await recordDoublings(db, notifications, auctionId, batch);
      await copyBiddingState(auctionId, batch[batch.length - 1]!);
      if (notifications) {
        const changes = batch.map((entry) => ({ ...entry, retraction: entry.type === 'retraction' }));
        await notifyOutbids(db, notifications, auctionId, leader, changes);
      }
      leader = batch[batch.length - 1]!.leaderId;
      highWater = batch[batch.length - 1]!.seq;
      if (batch.length < READ_BATCH - 1) return highWater;
    }
  }

  return {
    /**
     * Copies bids with seq > afterSeq from the stream into Postgres; returns the new high-water seq
     * and what Redis says of the end and the status.
     * While the auction is hot it lingers (up to PERSIST_LINGER_MAX_MS), copying every
     * PERSIST_POLL_MS until PERSIST_QUIET_MS pass with nothing new: one workflow round trip then
     * covers many copies, which is what keeps the 201 → Postgres lag low (bench/bid.bench.ts).
     * `linger: false` copies once (the final drain before a result).
     */
    async persistBids(auctionId: string, afterSeq: number, linger = true): Promise<PersistOutcome> {
      // Lingering is an optimisation: a worker shutting down, or a cancelled attempt (the SDK cancels
      // local activities still running when the grace time ends), copies what is there and returns.
      const mayLinger = () => linger && !stopping.aborted && !Context.current().cancellationSignal.aborted;
      // First, so a bid arriving from now on sets the flag again and wakes the workflow: no lost wake-up.
      await store.clearWake(auctionId);
      const started = Date.now();
      let highWater = afterSeq;
      let quietSince = started;
      for (;;) {
        const copiedTo = await copyNewBids(auctionId, highWater);
        if (copiedTo > highWater) quietSince = Date.now();
        highWater = copiedTo;
        const now = Date.now();
        if (!mayLinger() || now - quietSince >= PERSIST_QUIET_MS || now - started >= PERSIST_LINGER_MAX_MS) break;
        await sleep(PERSIST_POLL_MS);
      }
      if (highWater - STREAM_REPLAY_TAIL > 0) await store.trimBids(auctionId, highWater - STREAM_REPLAY_TAIL);
      // What Redis says now, so the workflow learns of a buy-now or a cancel even if their signal was lost.
      const live = await store.readState(auctionId);
      return { persistedSeq: highWater, endsAtMs: live?.state.endsAtMs ?? null, status: live?.state.status ?? null };
    },

    /** Closes bidding in Redis only if Redis time has reached the end; otherwise answers the real end. */
    async closeBidding(auctionId: string): Promise<CloseResult> {
      return store.closeBidding(auctionId);
    },

    /** Stops bidding in Redis for a cancel that came from ops; answers whether the close got there first. */
    async cancelBidding(auctionId: string) {
      return store.cancelAuction(auctionId);
    },

    /** Writes the result once: only an auction not yet closed or cancelled moves to closed. */
    async recordResult({ auctionId, result, endsAtMs, bidCount }: RecordResult): Promise<void> {
      await db
        .update(auctions)
        .set({
          status: 'closed',
          outcome: result.outcome,
          winnerId: result.winnerId,
          finalPrice: result.finalPrice,
          endsAt: new Date(endsAtMs),
          bidCount,
          closedAt: new Date(),
        })
        .where(and(eq(auctions.id, auctionId), inArray(auctions.status, ['scheduled', 'open'])));
      await noteStatusChange(redis, auctionId, 'closed', result);
    },

    /** Tells live watchers the auction is over; a repeat only repeats the same event. */
    async publishClosed(auctionId: string, seq: number, result: AuctionResult): Promise<void> {
      await publish(redis, auctionKeys(auctionId).events, JSON.stringify({ type: 'closed', seq, result }));
    },
  };
}
