/**
 * A cancelled sale: no more claims (Redis first, so none slips in behind), every order awaiting payment
 * cancelled with the seller's reason, and every open hold ended as its order says: a paid one (its
 * payment won the row lock) is sold, the rest released. The waitlist is not served any more
 * (end-sale.lua dropped it; settle-holds.lua serves only an open sale). Paid orders stay paid.
 */
import type { SaleProgress } from '../../domain/sales/workflow.js';
import { cancelAwaitingOrders, fatesOf } from './hold-fates.js';
import { noteStatusChange } from '../listing-notes.js';
import type { SaleActivityDeps } from './index.js';
import { copySaleLog } from './log-copy.js';
import { movedOrThrow } from './phases.js';
import { recordProgress } from './progress.js';

const HOLDS_PER_PASS = 500;

export function createCancelActivity(deps: SaleActivityDeps) {
  const { db, saleStore } = deps;
  return {
    async cancelSale(saleId: string, reason: string, persistedSeq: number): Promise<SaleProgress> {
      const move = movedOrThrow(saleId, await saleStore.moveTo(saleId, 'cancelled'));
      // Every hold gets its order before the orders are cancelled.
      const seq = await copySaleLog(deps, saleId, persistedSeq);
      // The end came first ('final', closed): the sale closed, and its holds run their course. Or every
      // unit is sold ('sold_out', still open): nothing is left to cancel, and the sale is finished.
      if (move.phase !== 'cancelled') return recordProgress(deps, saleId, seq);
      // The API's cancel noted it already; a cancel from elsewhere (a workflow's own) had no note.
      await noteStatusChange(deps.redis, saleId, 'cancelled');
      await cancelAwaitingOrders(db, saleId, reason);
      const open = await saleStore.openHolds(saleId);
      for (let i = 0; i < open.length; i += HOLDS_PER_PASS) {
        const { paid, released } = await fatesOf(db, saleId, open.slice(i, i + HOLDS_PER_PASS));
        // No fresh ids: a cancelled sale serves no waitlist, so a release never makes a hold.
        await saleStore.settleHolds(saleId, paid, released, []);
      }
      return recordProgress(deps, saleId, seq, reason);
    },
  };
}
