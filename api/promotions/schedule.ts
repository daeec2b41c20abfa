/**
 * A promotion's Temporal Schedule: it starts one promotionFiringWorkflow every `every`, up to `jitter`
 * late. Overlaps are skipped (a firing still running makes the next one wait for the one after), and a
 * firing missed while the cluster was down is not made up later than a minute: a doubling is for now.
 */
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { durationMs } from '../../domain/promotions/promotion.js';
import { promotionFiringWorkflowId, promotionScheduleId } from '../../domain/temporal-names.js';

export interface ScheduleDeps {
  temporal: Client;
  taskQueue: string;
}

interface SchedulePlan {
  promotionId: string;
  every: string;
  jitter: string;
}

export async function createPromotionSchedule(deps: ScheduleDeps, plan: SchedulePlan): Promise<void> {
  await deps.temporal.schedule.create({
    scheduleId: promotionScheduleId(plan.promotionId),
    spec: { intervals: [{ every: durationMs(plan.every)! }], jitter: durationMs(plan.jitter)! },
    action: {
      type: 'startWorkflow',
      workflowType: 'promotionFiringWorkflow',
      args: [{ promotionId: plan.promotionId }],
      taskQueue: deps.taskQueue,
      workflowId: promotionFiringWorkflowId(plan.promotionId),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    state: { note: `Gavel promotion ${plan.promotionId}: change it through /v1/admin/promotions` },
  });
}

const handleOf = (deps: ScheduleDeps, promotionId: string) =>
  deps.temporal.schedule.getHandle(promotionScheduleId(promotionId));

export async function setSchedulePaused(deps: ScheduleDeps, promotionId: string, paused: boolean): Promise<void> {
  const handle = handleOf(deps, promotionId);
  await (paused ? handle.pause('paused by an admin') : handle.unpause('resumed by an admin'));
}

/** Gone already (deleted in the Temporal UI, say) is as good as deleted here. */
export async function deleteSchedule(deps: ScheduleDeps, promotionId: string): Promise<void> {
  try {
    await handleOf(deps, promotionId).delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
}

/** The schedule's next firing, or null when it has none (paused, deleted, or gone). */
export async function nextFiringAt(deps: ScheduleDeps, promotionId: string): Promise<string | null> {
  try {
    const description = await handleOf(deps, promotionId).describe();
    if (description.state.paused) return null;
    return description.info.nextActionTimes[0]?.toISOString() ?? null;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return null;
    throw error;
  }
}
