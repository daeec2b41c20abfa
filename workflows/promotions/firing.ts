/**
 * One firing of a promotion, started by its Temporal Schedule (api/admin/promotions.ts): the whole
 * firing is one activity, idempotent by the firing's id (this workflow's id), so a retry after a crash
 * finishes what the first attempt began and never doubles twice. See workflows/README.md before
 * changing it: firings are short, but a schedule may start one just before a deploy.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { FiringOutcome } from '../../domain/promotions/firing.js';

const { firePromotion } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
});

export async function promotionFiringWorkflow(input: { promotionId: string }): Promise<FiringOutcome> {
  return firePromotion({ promotionId: input.promotionId, firingId: workflowInfo().workflowId });
}
