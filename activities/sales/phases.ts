/**
 * The sale's phase in Redis, where claims read it, and its copy in Postgres: open at the start, closed at
 * the end. Redis's clock decides the end (end-sale.lua): a workflow whose timer fired a little early is
 * told `closed: false` and asks again.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, eq, inArray } from 'drizzle-orm';
import { sales } from '../../db/sales-schema.js';
import type { SalePhase } from '../../domain/sales/sale.js';
import type { PhaseMove } from '../../lua/sale-store.js';
import { noteStatusChange } from '../listing-notes.js';
import type { SaleActivityDeps } from './index.js';

export interface SaleClosing {
  closed: boolean;
  endsAtMs: number | null;
  /** The phase now: 'cancelled' when a cancel got there first. */
  phase: SalePhase;
}

export const movedOrThrow = (saleId: string, move: PhaseMove | null): PhaseMove => {
  if (!move) throw ApplicationFailure.nonRetryable(`no sale state in Redis for ${saleId}`, 'SaleMissing');
  return move;
};

export function createPhaseActivities({ db, redis, saleStore }: SaleActivityDeps) {
  /** The row follows Redis forward only: scheduled → open → closed, never back; then the listings hear. */
  const copyPhase = async (saleId: string, phase: 'open' | 'closed', from: SalePhase[]) => {
    await db
      .update(sales)
      .set({ phase, updatedAt: new Date() })
      .where(and(eq(sales.id, saleId), inArray(sales.phase, from)));
    await noteStatusChange(redis, saleId, phase);
  };

  return {
    /** Opens the sale; answers its phase now (a sale cancelled before its start stays cancelled). */
    async openSale(saleId: string): Promise<SalePhase> {
      const move = movedOrThrow(saleId, await saleStore.moveTo(saleId, 'open'));
      if (move.phase === 'open') await copyPhase(saleId, 'open', ['scheduled']);
      return move.phase;
    },

    async closeSale(saleId: string): Promise<SaleClosing> {
      const move = movedOrThrow(saleId, await saleStore.moveTo(saleId, 'closed'));
      const closed = move.phase === 'closed';
      if (closed) await copyPhase(saleId, 'closed', ['scheduled', 'open']);
      return { closed, endsAtMs: move.endsAtMs, phase: move.phase };
    },
  };
}
