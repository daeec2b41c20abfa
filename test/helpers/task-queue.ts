/**
 * Which worker processes poll a task queue, as the Temporal server sees them: a test starts its
 * auctions once every worker it spawned is polling, so each of them can take work from the start.
 */
import type { ChildProcess } from 'node:child_process';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { TaskQueueKind, TaskQueueType } = proto.temporal.api.enums.v1;

/** The SDK's default worker identity starts with the process id. */
const identityOf = (child: ChildProcess) => `${child.pid}@`;

async function pollerIdentities(client: Client, taskQueue: string): Promise<string[]> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return (pollers ?? []).map((poller) => poller.identity ?? '');
}

/** Resolves once every given worker process polls `taskQueue` (or rejects after `timeoutMs`). */
export async function waitForPollers(
  client: Client,
  taskQueue: string,
  workers: ChildProcess[],
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const identities = await pollerIdentities(client, taskQueue);
    const missing = workers.filter((worker) => !identities.some((id) => id.startsWith(identityOf(worker))));
    if (missing.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`workers ${missing.map((worker) => worker.pid).join(', ')} not polling ${taskQueue}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
