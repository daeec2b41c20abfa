/**
 * The settlement workflows of a scenario's sales, as Temporal has them: each one's final state and when
 * it ended, and which activities had to run again (a worker died under them) by their histories.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SettlementState } from '../../../domain/settlement/workflow.js';
import { auctionWorkflowId, settlementWorkflowId } from '../../../domain/temporal-names.js';

export interface Settled {
  /** The workflow's result; null when it had not ended by the deadline. */
  state: SettlementState | null;
  endedAtMs: number | null;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for each settlement to end (the close starts it: until then it does not exist), up to the deadline. */
export async function awaitSettlement(client: Client, auctionId: string, deadline: number): Promise<Settled> {
  const handle = client.workflow.getHandle<() => Promise<SettlementState>>(settlementWorkflowId(auctionId));
  for (;;) {
    try {
      const described = await handle.describe();
      if (described.status.name !== 'RUNNING') {
        const state = described.status.name === 'COMPLETED' ? await handle.result() : null;
        return { state, endedAtMs: described.closeTime?.getTime() ?? null };
      }
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    if (Date.now() >= deadline) return { state: null, endedAtMs: null };
    await pause(250);
  }
}

/**
 * Activities that ran more than once in the auctions' and settlements' histories, by type: one whose
 * worker died mid-run is tried again after its start-to-close timeout (the history keeps the last
 * attempt's number).
 */
export async function retriedActivities(
  client: Client,
  auctionIds: readonly string[],
): Promise<Record<string, number>> {
  const retried: Record<string, number> = {};
  const ids = auctionIds.flatMap((id) => [auctionWorkflowId(id), settlementWorkflowId(id)]);
  for (const id of ids) {
    const history = await client.workflow
      .getHandle(id)
      .fetchHistory()
      .catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      });
    const typeOf = new Map<string, string>();
    for (const event of history?.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) typeOf.set(String(event.eventId), scheduled.activityType?.name ?? '?');
      const started = event.activityTaskStartedEventAttributes;
      if (started && (started.attempt ?? 1) > 1) {
        const type = typeOf.get(String(started.scheduledEventId)) ?? '?';
        retried[type] = (retried[type] ?? 0) + 1;
      }
    }
  }
  return retried;
}
