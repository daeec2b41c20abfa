/** The persist cycle: claims' holds become orders, and the sale's row gets Redis's counts and phase. */
import type { SaleProgress } from '../../domain/sales/workflow.js';
import type { SaleActivityDeps } from './index.js';
import { copySaleLog } from './log-copy.js';
import { recordProgress } from './progress.js';

export function createPersistActivity(deps: SaleActivityDeps) {
  return {
    /** Copies the claim log after `persistedSeq` into orders; answers where the sale stands now. */
    async persistSale(saleId: string, persistedSeq: number): Promise<SaleProgress> {
      // First, so a claim from now on sets the flag again and wakes the workflow: no lost wake-up.
      await deps.saleStore.clearWake(saleId);
      const seq = await copySaleLog(deps, saleId, persistedSeq);
      return recordProgress(deps, saleId, seq);
    },
  };
}
