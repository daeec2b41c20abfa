/**
 * What a workflow's recorded history says about how it ran, for tests that change the worker under a
 * running workflow: which worker process completed each workflow task, which patches the code took
 * (`patched()` markers), the activities and children it started, and every workflow task that failed
 * (a nondeterminism error on replay is one).
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { WorkflowTaskFailedCause } = proto.temporal.api.enums.v1;

/** Event ids order what happened: a task's commands are recorded right after its completion. */
export interface HistoryFacts {
  /** Each completed workflow task: its event id and the worker's process id (the SDK's identity is `<pid>@<host>`). */
  tasks: { eventId: number; pid: number }[];
  /** The workflow code's own `patched()` markers. */
  patches: { eventId: number; id: string }[];
  activities: { eventId: number; name: string }[];
  children: { eventId: number; workflowType: string }[];
  failedTasks: { eventId: number; cause: string; message: string }[];
}

/** The patch marker core writes for `patched(id)`: its details carry `{"id": ..., "deprecated": ...}`. */
const PATCH_MARKER = 'core_patch';

export async function historyFacts(client: Client, workflowId: string): Promise<HistoryFacts> {
  const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
  const facts: HistoryFacts = { tasks: [], patches: [], activities: [], children: [], failedTasks: [] };
  for (const event of events ?? []) {
    const eventId = Number(event.eventId);
    const completed = event.workflowTaskCompletedEventAttributes;
    if (completed) facts.tasks.push({ eventId, pid: Number.parseInt(completed.identity ?? '', 10) });
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName === PATCH_MARKER) {
      const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
      const patch = JSON.parse(Buffer.from(data ?? []).toString('utf8') || '{}') as { id?: string };
      // The SDK marks changes of its own behaviour the same way (`__sdk_internal_patch_number:<n>`): not the code's.
      if (!patch.id?.startsWith('__sdk_internal')) facts.patches.push({ eventId, id: patch.id ?? '?' });
    }
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) facts.activities.push({ eventId, name: scheduled.activityType?.name ?? '?' });
    const child = event.startChildWorkflowExecutionInitiatedEventAttributes;
    if (child) facts.children.push({ eventId, workflowType: child.workflowType?.name ?? '?' });
    const failed = event.workflowTaskFailedEventAttributes;
    if (failed) {
      const cause = WorkflowTaskFailedCause[failed.cause ?? 0] ?? String(failed.cause);
      facts.failedTasks.push({ eventId, cause, message: failed.failure?.message ?? '' });
    }
  }
  return facts;
}

/** The worker processes that ran the workflow's tasks, in the order they took it over. */
export const workersInOrder = (facts: HistoryFacts): number[] =>
  facts.tasks.map((task) => task.pid).filter((pid, i, pids) => i === 0 || pids[i - 1] !== pid);

/** Throws with the first failed workflow task's cause and message, if one of `workflowId`'s has failed. */
export async function throwIfATaskFailed(client: Client, workflowId: string): Promise<void> {
  const [failed] = (await historyFacts(client, workflowId)).failedTasks;
  if (failed) throw new Error(`a workflow task of ${workflowId} failed: ${failed.cause}: ${failed.message}`);
}

/**
 * `result`, unless a workflow task of `workflowId` fails first: then it rejects with the failure. A
 * task that fails on replay (a nondeterminism error) is retried for ever and the result never comes,
 * so a test would otherwise end at its timeout, not at the reason.
 */
export async function unlessATaskFails<R>(client: Client, workflowId: string, result: Promise<R>): Promise<R> {
  let settled = false;
  const watch = async (): Promise<never> => {
    while (!settled) {
      await throwIfATaskFailed(client, workflowId);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return new Promise<never>(() => {}); // the result won the race
  };
  try {
    return await Promise.race([result, watch()]);
  } finally {
    settled = true;
  }
}
