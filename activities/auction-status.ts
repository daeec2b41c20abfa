/** Writes the auction's status to Postgres. Idempotent: a retried call changes nothing twice. */
import { and, eq, inArray } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/activity';
import { AUCTION_STATUSES, canMove, type AuctionStatus } from '../domain/auction-status.js';
import type { RedisClient } from '../config/redis.js';
import type { Database } from '../db/pool.js';
import { auctions } from '../db/schema.js';
import { noteStatusChange } from './listing-notes.js';

export interface RecordAuctionStatus {
  auctionId: string;
  status: AuctionStatus;
  cancelReason: string | null;
}

/** The statuses an auction may be in just before it moves to `to`. */
const predecessorsOf = (to: AuctionStatus) => AUCTION_STATUSES.filter((from) => canMove(from, to));

export function createAuctionStatusActivities(db: Database, redis: RedisClient) {
  return {
    async recordAuctionStatus({ auctionId, status, cancelReason }: RecordAuctionStatus): Promise<void> {
      const final = status === 'closed' || status === 'cancelled';
      const moved = await db
        .update(auctions)
        .set({
          status,
          ...(status === 'cancelled' ? { cancelReason } : {}),
          ...(final ? { closedAt: new Date() } : {}),
        })
        .where(and(eq(auctions.id, auctionId), inArray(auctions.status, predecessorsOf(status))))
        .returning({ id: auctions.id });
      if (moved.length > 0) return noteStatusChange(redis, auctionId, status);
      const [row] = await db.select({ status: auctions.status }).from(auctions).where(eq(auctions.id, auctionId));
      // Already recorded by an earlier attempt, whose note may not have gone out.
      if (row?.status === status) return noteStatusChange(redis, auctionId, status);
      throw ApplicationFailure.nonRetryable(
        row ? `auction ${auctionId} cannot move from ${row.status} to ${status}` : `auction ${auctionId} not found`,
        'InvalidAuctionTransition',
      );
    },
  };
}
