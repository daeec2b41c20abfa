/**
 * The persist cycle's part for retractions and voids: each stream entry becomes one bid_retractions row
 * and one audit log entry, and the bids it took back are marked with its seq. One transaction per
 * retraction, and only the call that inserts the row writes the rest, so a repeated batch changes nothing.
 */
import { and, eq, isNull, lt } from 'drizzle-orm';
import { appendAuditEntry } from '../db/audit-log.js';
import type { Database } from '../db/pool.js';
import { bidRetractions, bids } from '../db/schema.js';
import type { StreamEntry, StreamRetraction } from '../lua/bidding-store.js';

export async function recordRetractions(db: Database, auctionId: string, batch: readonly StreamEntry[]): Promise<void> {
  for (const entry of batch) {
    if (entry.type === 'retraction') await recordRetraction(db, auctionId, entry);
  }
}

async function recordRetraction(db: Database, auctionId: string, entry: StreamRetraction): Promise<void> {
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(bidRetractions)
      .values({
        auctionId,
        seq: entry.seq,
        bidderId: entry.bidderId,
        mode: entry.mode,
        scope: entry.scope,
        lastSeq: entry.lastSeq,
        bidderAlias: entry.bidderAlias,
        priceAfter: entry.amount,
        bidCountAfter: entry.bidCount,
        reason: entry.reason,
        actorId: entry.actorId,
        requestId: entry.requestId,
        retractedAt: new Date(entry.placedAtMs),
      })
      .onConflictDoNothing()
      .returning({ seq: bidRetractions.seq });
    if (inserted.length === 0) return;
    await appendAuditEntry(tx, {
      actorId: entry.actorId,
      action: entry.mode === 'void' ? 'bids_voided' : 'bids_retracted',
      targetType: 'auction',
      targetId: auctionId,
      reason: entry.reason,
      details: { bidderId: entry.bidderId, seq: entry.seq, scope: entry.scope, lastSeq: entry.lastSeq },
      requestId: entry.requestId,
    });
    const taken =
      entry.scope === 'last' ? eq(bids.seq, entry.lastSeq) : and(lt(bids.seq, entry.seq), isNull(bids.retractedBySeq));
    await tx
      .update(bids)
      .set({ retractedBySeq: entry.seq })
      .where(and(eq(bids.auctionId, auctionId), eq(bids.bidderId, entry.bidderId), taken));
  });
}
