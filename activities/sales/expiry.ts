/**
 * The expiry run: every hold due by Redis's clock ends, each exactly once. In order, so a crash anywhere
 * repeats safely: (1) the log is copied, so every hold has its order; (2) Redis names the due holds;
 * (3) Postgres expires their orders unless paid, and each row's status is the hold's fate; (4) Redis
 * ends them (settle-holds.lua: ZREM, once), serving the waitlist with new holds; (5) those are copied
 * into orders, each with its buyer's waitlist_offer notice. Again while more are due.
 */
import type { SaleProgress } from '../../domain/sales/workflow.js';
import { expireOrders, fatesOf } from './hold-fates.js';
import type { SaleActivityDeps } from './index.js';
import { copySaleLog } from './log-copy.js';
import { recordProgress } from './progress.js';
import { settleInRedis } from './settle.js';

/** Holds ended per pass. */
export const DUE_BATCH = 500;
/**
 * A run stops starting passes after this long (well inside its local activity's timeout): the rest are
 * still due, and the workflow's next run, a gap later, takes them.
 */
const RUN_BUDGET_MS = 5_000;

export function createExpiryActivity(deps: SaleActivityDeps) {
  const { db, saleStore } = deps;
  return {
    async settleDueHolds(saleId: string, persistedSeq: number): Promise<SaleProgress> {
      const started = Date.now();
      let seq = await copySaleLog(deps, saleId, persistedSeq);
      for (;;) {
        const due = await saleStore.dueHolds(saleId, DUE_BATCH);
        if (due.length === 0) break;
        await expireOrders(db, saleId, due);
        const fates = await fatesOf(db, saleId, due);
        // Nothing decided (no order yet): a later run takes them, rather than this one spinning.
        if (fates.paid.length + fates.released.length === 0) break;
        const settled = await settleInRedis(saleStore, saleId, fates);
        if (settled.newHolds.length > 0) seq = await copySaleLog(deps, saleId, seq);
        if (!settled.more && due.length < DUE_BATCH) break;
        if (Date.now() - started >= RUN_BUDGET_MS) break;
      }
      return recordProgress(deps, saleId, seq);
    },
  };
}
