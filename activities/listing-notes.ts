/**
 * Tells the API processes' listing read models (api/discovery/) that an auction's status (or a flash
 * sale's phase: the same words) changed, on the listing feed (lua/listing-feed.ts). Best effort: the
 * status is already in Postgres, and a note that cannot be appended is repaired by the read models'
 * periodic reconcile, so it never fails the activity (a retry would only append the same note again).
 */
import { log } from '@temporalio/activity';
import type { RedisClient } from '../config/redis.js';
import type { AuctionResult } from '../domain/auction-result.js';
import type { AuctionStatus } from '../domain/auction-status.js';
import { appendListingChanges } from '../lua/listing-feed.js';

/** A sale's units available at its version: what payments, expiries and cancels change, as claims do. */
export async function noteSaleCounts(
  redis: RedisClient,
  saleId: string,
  version: number,
  available: number,
): Promise<void> {
  try {
    await appendListingChanges(redis, [{ kind: 'saleCounts', id: saleId, version, available }]);
  } catch (error) {
    log.warn('listing note not appended; the read models reconcile it', { saleId, error: String(error) });
  }
}

export async function noteStatusChange(
  redis: RedisClient,
  auctionId: string,
  status: AuctionStatus,
  result: AuctionResult | null = null,
): Promise<void> {
  try {
    await appendListingChanges(redis, [{ kind: 'status', id: auctionId, status, result }]);
  } catch (error) {
    log.warn('listing note not appended; the read models reconcile it', { auctionId, status, error: String(error) });
  }
}
