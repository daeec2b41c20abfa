/**
 * What one workflow run left in Temporal's history, counted the way an operator sizes retention and a
 * worker's load: events in all, activities (scheduled on the server, and local ones, which leave one
 * marker each instead of three events), workflow tasks, and the events by type.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

export interface HistoryCounts {
  events: number;
  /** The history's size as Temporal stores and sends it (protobuf): what retention keeps. */
  bytes: number;
  /** ActivityTaskScheduled: each one is three events (scheduled, started, completed) and a task queue round trip. */
  activities: number;
  /** Local activities, recorded as one marker each. */
  localActivities: number;
  /** Workflow tasks the worker completed (each is scheduled, started, completed: three events). */
  workflowTasks: number;
  /** Events by type, without the EVENT_TYPE_ prefix. */
  byType: Map<string, number>;
}

/** Core SDK's marker name for a local activity's result. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

const EventType = proto.temporal.api.enums.v1.EventType;
const typeName = (type: number | null | undefined) =>
  (EventType[type ?? 0] ?? String(type)).replace(/^EVENT_TYPE_/, '');

export async function historyCounts(client: Client, workflowId: string): Promise<HistoryCounts> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const byType = new Map<string, number>();
  for (const event of events) {
    const name = typeName(event.eventType);
    byType.set(name, (byType.get(name) ?? 0) + 1);
  }
  return {
    events: events.length,
    bytes: proto.temporal.api.history.v1.History.encode(history).finish().length,
    activities: byType.get('ACTIVITY_TASK_SCHEDULED') ?? 0,
    localActivities: events.filter((event) => event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER)
      .length,
    workflowTasks: byType.get('WORKFLOW_TASK_COMPLETED') ?? 0,
    byType,
  };
}

export interface Summary {
  mean: number;
  max: number;
}

const summarise = (values: number[]): Summary => ({
  mean: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length),
  max: Math.max(...values),
});

/** Mean and max of each count over several runs of one kind of workflow; event types by their mean. */
export function summariseCounts(runs: HistoryCounts[]) {
  const types = [...new Set(runs.flatMap((run) => [...run.byType.keys()]))];
  return {
    events: summarise(runs.map((run) => run.events)),
    bytes: summarise(runs.map((run) => run.bytes)),
    activities: summarise(runs.map((run) => run.activities)),
    localActivities: summarise(runs.map((run) => run.localActivities)),
    workflowTasks: summarise(runs.map((run) => run.workflowTasks)),
    byType: types
      .map((type) => ({ type, ...summarise(runs.map((run) => run.byType.get(type) ?? 0)) }))
      .sort((a, b) => b.mean - a.mean),
  };
}
