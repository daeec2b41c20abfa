/**
 * One firing of a promotion (workflows/promotions/firing.ts): choose a bidder, hold the doubling's
 * exposure against the budget, double in Redis, record. Each step is idempotent by the firing's id, so a
 * retry after a crash at any point ends with one row, one audit entry and at most one doubling:
 *   - the row is written before the script runs, with the choice; a retry that finds it finishes it;
 *   - the script remembers the firing id and answers a repeat as it did the first time.
 * The promotion's row is locked while the budget is checked and the row written: two firings of one
 * promotion can never both fit in the same remainder.
 */
import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { appendAuditEntry } from '../../db/audit-log.js';
import type { Database } from '../../db/pool.js';
import { auctions, promotionFirings, promotions } from '../../db/schema.js';
import type { FiringOutcome } from '../../domain/promotions/firing.js';
import { chooseDoubling, SEED_MAX, type CandidateAuction } from '../../domain/promotions/strategies.js';
import { subsidyExposure } from '../../domain/promotions/subsidy.js';
import type { BiddingStore } from '../../lua/bidding-store.js';
import { committedBudget } from './budget.js';
import { findCandidates } from './candidates.js';

type FiringRow = typeof promotionFirings.$inferSelect;
type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** The firing's seed: from its id, so every attempt of one firing draws the same, and it is recorded. */
export const seedOf = (firingId: string): number =>
  createHash('sha256').update(firingId).digest().readUInt32BE(0) & SEED_MAX;

export function createPromotionActivities(db: Database, store: BiddingStore) {
  /** The firing's row and its audit entry, in one transaction. */
  async function recordOutcome(tx: Transaction, row: FiringRow): Promise<void> {
    await appendAuditEntry(tx, {
      actorId: null,
      action: 'promotion_fired',
      targetType: 'promotion',
      targetId: row.promotionId,
      reason: row.reason,
      details: {
        firingId: row.id,
        outcome: row.outcome,
        seed: row.seed,
        strategy: row.strategy,
        auctionId: row.auctionId,
        bidderId: row.bidderId,
        fromMax: row.fromMax,
        toMax: row.toMax,
        exposure: row.exposure,
      },
      requestId: null,
    });
  }

  /** A firing that ends without doubling: its row and entry, once. */
  async function recordWithout(
    firing: Pick<FiringRow, 'id' | 'promotionId' | 'seed' | 'strategy'>,
    outcome: Exclude<FiringOutcome, 'doubled' | 'refused'>,
    candidates: CandidateAuction[],
  ): Promise<FiringOutcome> {
    const written = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(promotionFirings)
        .values({ ...firing, outcome, candidates })
        .onConflictDoNothing()
        .returning();
      if (row) await recordOutcome(tx, row);
      return row !== undefined;
    });
    return written ? outcome : answerOf(firing.id);
  }

  /** Runs the doubling the row holds (again, on a retry: the script answers a repeat as before) and records it. */
  async function finishDoubling(row: FiringRow): Promise<FiringOutcome> {
    const result = await store.doubleMaximum(row.auctionId!, {
      bidderId: row.bidderId!,
      expectedMax: row.fromMax!,
      promotionId: row.promotionId,
      firingId: row.id,
    });
    const done: Partial<FiringRow> =
      result?.accepted === true
        ? { seq: result.seq, toMax: result.toMax }
        : { outcome: 'refused', reason: result?.reason ?? 'auction_not_open', exposure: 0 };
    return db.transaction(async (tx) => {
      // Only the attempt that completes the row writes the entry: two attempts at once both get here.
      const [updated] = await tx
        .update(promotionFirings)
        .set(done)
        .where(
          and(eq(promotionFirings.id, row.id), eq(promotionFirings.outcome, 'doubled'), isNull(promotionFirings.seq)),
        )
        .returning();
      if (updated) {
        await recordOutcome(tx, updated);
        return updated.outcome;
      }
      const [now] = await tx.select().from(promotionFirings).where(eq(promotionFirings.id, row.id));
      return now!.outcome;
    });
  }

  /** The outcome of a firing whose row exists, finishing its doubling if it is still under way. */
  async function answerOf(firingId: string): Promise<FiringOutcome> {
    const [row] = await db.select().from(promotionFirings).where(eq(promotionFirings.id, firingId));
    return row!.outcome === 'doubled' && row!.seq === null ? finishDoubling(row!) : row!.outcome;
  }

  return {
    async firePromotion({ promotionId, firingId }: { promotionId: string; firingId: string }): Promise<FiringOutcome> {
      const [existing] = await db
        .select({ id: promotionFirings.id })
        .from(promotionFirings)
        .where(eq(promotionFirings.id, firingId));
      if (existing) return answerOf(firingId);

      const [promotion] = await db.select().from(promotions).where(eq(promotions.id, promotionId));
      // Rows are never deleted (a deleted promotion keeps its row): none means the id was never one.
      if (!promotion) return 'inactive';
      const firing = { id: firingId, promotionId, seed: seedOf(firingId), strategy: promotion.strategy };
      if (promotion.status !== 'active') return recordWithout(firing, 'inactive', []);

      const candidates = await findCandidates(db, store, promotion);
      const choice = chooseDoubling(candidates, promotion.strategy, firing.seed);
      if (!choice) return recordWithout(firing, 'no_candidate', candidates);

      const reserved = await db.transaction(async (tx) => {
        const [locked] = await tx.select().from(promotions).where(eq(promotions.id, promotionId)).for('update');
        const [auction] = await tx
          .select({ buyersPremiumBps: auctions.buyersPremiumBps })
          .from(auctions)
          .where(eq(auctions.id, choice.auctionId));
        const fromMax = choice.bidder.max;
        const exposure = subsidyExposure(fromMax, fromMax * 2, auction!.buyersPremiumBps);
        const fits =
          locked!.status === 'active' && (await committedBudget(tx, promotionId)) + exposure <= locked!.budget;
        const [row] = await tx
          .insert(promotionFirings)
          .values({
            ...firing,
            candidates,
            outcome: locked!.status !== 'active' ? 'inactive' : fits ? 'doubled' : 'over_budget',
            auctionId: choice.auctionId,
            bidderId: choice.bidder.bidderId,
            fromMax,
            exposure: fits ? exposure : 0,
          })
          .onConflictDoNothing()
          .returning();
        if (row && row.outcome !== 'doubled') await recordOutcome(tx, row);
        return row ?? null;
      });
      // Another attempt of this firing wrote the row first: answer as it does.
      if (!reserved) return answerOf(firingId);
      return reserved.outcome === 'doubled' ? finishDoubling(reserved) : reserved.outcome;
    },
  };
}
