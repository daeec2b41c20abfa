/**
 * Where a sale stands, as Redis says now, copied into its Postgres row (the counts the listing and the
 * seller read) and answered to the workflow, which takes its next timer from the earliest hold. A
 * finished sale's Redis state is set to expire (SALE_STATE_RETENTION_MS), and the listings are told
 * the units available.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { eq, sql } from 'drizzle-orm';
import { sales } from '../../db/sales-schema.js';
import { SALE_STATE_RETENTION_MS, saleIsFinished } from '../../domain/sales/sale.js';
import type { SaleProgress } from '../../domain/sales/workflow.js';
import { noteSaleCounts } from '../listing-notes.js';
import type { SaleActivityDeps } from './index.js';

export async function recordProgress(
  { db, redis, saleStore: store }: Pick<SaleActivityDeps, 'db' | 'redis' | 'saleStore'>,
  saleId: string,
  persistedSeq: number,
  cancelReason: string | null = null,
): Promise<SaleProgress> {
  const snapshot = await store.snapshot(saleId);
  // The API made the sale's state before it started the workflow; without it nothing can be decided.
  if (!snapshot) throw ApplicationFailure.nonRetryable(`no sale state in Redis for ${saleId}`, 'SaleMissing');
  const earliestHoldExpiryMs = await store.earliestHoldExpiry(saleId);
  const { phase, counts } = snapshot;
  // Finished: the workflow ends on this answer, and nothing will read or change the state but late
  // claims, refused from it for a while.
  if (saleIsFinished(phase, counts)) await store.retire(saleId, SALE_STATE_RETENTION_MS);
  await db
    .update(sales)
    .set({
      phase,
      ...counts,
      // A reason the API wrote first is the seller's own: kept.
      ...(cancelReason === null ? {} : { cancelReason: sql`COALESCE(${sales.cancelReason}, ${cancelReason})` }),
      updatedAt: new Date(),
    })
    .where(eq(sales.id, saleId));
  // The listings hear of units a payment, an expiry or a cancel moved (claims note their own).
  await noteSaleCounts(redis, saleId, snapshot.version, counts.available);
  return { persistedSeq, earliestHoldExpiryMs, counts, phase };
}
