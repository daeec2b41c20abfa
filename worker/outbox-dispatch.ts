/**
 * Every worker makes sure the notification outboxes' dispatch workflows run: the first start creates
 * each, later ones find it running and change nothing. So a fresh deployment needs no extra step, and
 * one that was terminated by an operator is back with the next worker start.
 */
import type { Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import type { Config } from '../config/env.js';
import { OUTBOXES, outboxDispatchWorkflowId } from '../domain/temporal-names.js';
import { outboxDispatchWorkflow } from '../workflows/notifications/outbox-dispatch.js';

export async function startOutboxDispatch(client: Client, config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>): Promise<void> {
  for (const outbox of OUTBOXES) {
    await client.workflow.start(outboxDispatchWorkflow, {
      workflowId: outboxDispatchWorkflowId(outbox, config.TEMPORAL_TASK_QUEUE),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [outbox],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
  }
}
