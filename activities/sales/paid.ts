/** A payment reached one of the sale's orders (the webhook's signal): its hold becomes a sale at once. */
import type { SaleProgress } from '../../domain/sales/workflow.js';
import { fatesOf } from './hold-fates.js';
import type { SaleActivityDeps } from './index.js';
import { recordProgress } from './progress.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createPaidActivity(deps: SaleActivityDeps) {
  const { db, saleStore } = deps;
  return {
    /**
     * Only what Postgres says counts: a paid order's hold is sold; any other is left to the expiry
     * (which releases an expired or cancelled one). `persistedSeq` is answered as it came: a sale
     * adds nothing to the log.
     */
    async settleSaleOrder(saleId: string, orderId: string, persistedSeq: number): Promise<SaleProgress> {
      if (UUID.test(orderId)) {
        const { paid } = await fatesOf(db, saleId, [orderId]);
        if (paid.length > 0) await saleStore.settleHolds(saleId, paid, [], []);
      }
      return recordProgress(deps, saleId, persistedSeq);
    },
  };
}
