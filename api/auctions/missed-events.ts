/**
 * What an SSE follower missed since its Last-Event-ID: the bids, retractions and doublings in
 * (afterSeq, throughSeq], the persisted ones from Postgres and the rest from the Redis stream. Every seq
 * is one of the three, so the replay has no gaps.
 */
import { and, eq, gt, lte } from 'drizzle-orm';
import { bidDoublings, bidRetractions, bids } from '../../db/schema.js';
import type { AuctionDeps } from './service.js';

export interface MissedEntry {
  kind: 'bid' | 'retracted' | 'doubled';
  seq: number;
  price: number;
  bidCount: number;
  placedAtMs: number;
  /** Null for a bid; the alias whose bids a retraction took back, or whose maximum a doubling doubled. */
  alias: number | null;
}

const KIND_OF_STREAM_TYPE = { bid: 'bid', retraction: 'retracted', doubling: 'doubled' } as const;

export async function missedEntries(
  deps: AuctionDeps,
  auctionId: string,
  afterSeq: number,
  throughSeq: number,
): Promise<MissedEntry[]> {
  const inRange = <T extends typeof bids | typeof bidRetractions | typeof bidDoublings>(table: T) =>
    and(eq(table.auctionId, auctionId), gt(table.seq, afterSeq), lte(table.seq, throughSeq));
  const [persisted, retracted, doubled] = await Promise.all([
    deps.db
      .select({ seq: bids.seq, price: bids.amount, placedAt: bids.placedAt, bidCountAfter: bids.bidCountAfter })
      .from(bids)
      .where(inRange(bids)),
    deps.db
      .select({
        seq: bidRetractions.seq,
        price: bidRetractions.priceAfter,
        bidCount: bidRetractions.bidCountAfter,
        at: bidRetractions.retractedAt,
        alias: bidRetractions.bidderAlias,
      })
      .from(bidRetractions)
      .where(inRange(bidRetractions)),
    deps.db
      .select({
        seq: bidDoublings.seq,
        price: bidDoublings.priceAfter,
        bidCount: bidDoublings.bidCountAfter,
        at: bidDoublings.doubledAt,
        alias: bidDoublings.bidderAlias,
      })
      .from(bidDoublings)
      .where(inRange(bidDoublings)),
  ]);
  const fromDb: MissedEntry[] = [
    ...persisted.map((bid) => ({
      kind: 'bid' as const,
      seq: bid.seq,
      price: bid.price,
      bidCount: bid.bidCountAfter ?? bid.seq, // rows from before retractions existed: the seq was the count
      placedAtMs: bid.placedAt.getTime(),
      alias: null,
    })),
    ...retracted.map((entry) => ({ kind: 'retracted' as const, ...common(entry) })),
    ...doubled.map((entry) => ({ kind: 'doubled' as const, ...common(entry) })),
  ].sort((a, b) => a.seq - b.seq);
  const highWater = fromDb.at(-1)?.seq ?? afterSeq;
  const rest = throughSeq > highWater ? await deps.store.readBids(auctionId, highWater, throughSeq - highWater) : [];
  const fromStream = rest
    .filter((entry) => entry.seq <= throughSeq)
    .map((entry) => ({
      kind: KIND_OF_STREAM_TYPE[entry.type],
      seq: entry.seq,
      price: entry.amount,
      bidCount: entry.bidCount,
      placedAtMs: entry.placedAtMs,
      alias: entry.type === 'bid' ? null : entry.bidderAlias,
    }));
  return [...fromDb, ...fromStream];
}

const common = (entry: { seq: number; price: number; bidCount: number; at: Date; alias: number }) => ({
  seq: entry.seq,
  price: entry.price,
  bidCount: entry.bidCount,
  placedAtMs: entry.at.getTime(),
  alias: entry.alias,
});
