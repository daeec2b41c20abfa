/**
 * Workflow tests on Temporal's time-skipping test server: the repository's real workflow code, fake
 * activities (helpers/fake-auction.ts), and days of timers skipped in milliseconds. No Postgres, Redis or
 * Temporal stack: only the JVM test server that `npm run setup` installs as .gavel/bin/temporal-test-server.
 *
 * The SDK starts the server itself (`createTimeSkipping` with an `existing-path` executable): it picks a
 * free port, runs `temporal-test-server <port>`, gives it 5 s to answer (a slow JVM start is retried
 * once here), and SIGKILLs it on teardown. Each worker logs one WARN that the server does not advertise
 * a heartbeat capability: harmless, the fakes do not heartbeat. Time skips only while something waits
 * on it: `handle.result()` of the environment's client, or `env.sleep(ms)`; otherwise the server's
 * clock runs at real speed. Time skipping is global to one server, so the tests of one environment run
 * one after another (node:test runs a file's tests in order).
 *
 * Where the test server (1.31.0) differs from the real one, and how a test steers clear:
 *
 * - Signals: a signal whose workflow task cancels a timer (a `condition` woken before its timeout)
 *   while that timer fires is refused ("invalid history builder state for action", the worker's WARN
 *   log), where the real server would deliver the firing; the workflow, and the test, then stall.
 *   Signal at a moment that is no timer's: `env.sleep()` to a few seconds off the workflow's timers
 *   (for an open auction, off the 10-s persist cycle counted from its start).
 * - Leftovers: see terminateWhenIdle. End what a test leaves running before the next test.
 * - Timers are free, workflow tasks are not: ~10-20 ms of wall time each. An open auction persists
 *   every 10 s of workflow time (PERIODIC_PERSIST_MS), so an hour open costs ~8 s: keep the open phase
 *   to minutes and put the days before the start.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Activities } from '../../activities/index.js';
import { SEARCH_ATTRIBUTES } from '../../domain/temporal-names.js';
import { installQuietRuntime } from './runtime.js';

/** The wrapper scripts/setup.sh writes (ensure_temporal_test_server). */
export const TEST_SERVER_PATH = fileURLToPath(new URL('../../.gavel/bin/temporal-test-server', import.meta.url));

const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

const { IndexedValueType } = proto.temporal.api.enums.v1;
const INDEXED_VALUE_TYPES = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
} as const;

/**
 * A time-skipping test server of its own, with the auction search attributes registered (the
 * workflows upsert them, and the server refuses unknown ones). `teardown()` it when done.
 */
export async function startTimeSkippingEnvironment(serverPath = TEST_SERVER_PATH): Promise<TestWorkflowEnvironment> {
  if (!fs.existsSync(serverPath)) {
    throw new Error(
      `the time-skipping test server ${serverPath} is missing: run npm run setup (scripts/setup.sh installs it)`,
    );
  }
  installQuietRuntime();
  let env: TestWorkflowEnvironment;
  for (let attempt = 1; ; attempt++) {
    try {
      env = await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: serverPath } },
      });
      break;
    } catch (error) {
      // The SDK gives the server 5 s to answer, and a JVM on a busy machine (npm test runs the stack
      // beside it) may need more the first time: once more, with its files now in the page cache.
      if (attempt >= 2 || !/did not start within/.test(String(error))) throw error;
    }
  }
  try {
    const searchAttributes = Object.fromEntries(
      Object.values(SEARCH_ATTRIBUTES).map(({ name, type }) => [name, INDEXED_VALUE_TYPES[type]]),
    );
    await env.connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes });
  } catch (error) {
    await env.teardown();
    throw error;
  }
  return env;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** workflows/index.ts bundled once per process: each worker after the first skips webpack (1-2 s). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  return bundle;
}

export interface FakeWorker {
  /** The worker's own task queue: start workflows on it. */
  taskQueue: string;
  worker: Worker;
  /** Shuts the worker down and waits until it has (its in-flight tasks finish first). */
  stop(): Promise<void>;
}

/** A worker of the repository's workflows with the given activities (fakes typed as the real ones). */
export async function startFakeWorker(env: TestWorkflowEnvironment, activities: Activities): Promise<FakeWorker> {
  const taskQueue = `timeskip-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
  });
  const running = worker.run();
  return {
    taskQueue,
    worker,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

/**
 * A clock for fake activities that follows the test server's (skipped) time: in an activity, the
 * server's time when it was scheduled, which is the workflow's time when it asked for it. A local
 * activity, which the server never sees, and code outside any activity read the latest such time.
 * One per environment: each server's clock starts at the real time again.
 */
export function serverClock(): () => number {
  let latestMs = Date.now();
  return () => {
    let info;
    try {
      info = Context.current().info;
    } catch {
      return latestMs; // not in an activity
    }
    if (!info.isLocal) latestMs = Math.max(latestMs, info.currentAttemptScheduledTimestampMs);
    return latestMs;
  };
}

/**
 * Ends a workflow left running (a test that failed half-way, or one an auction started and abandoned)
 * so that it cannot stall the tests after it. The test server (1.31.0) leaks a lock on its clock, and
 * time never skips again (every later `result()` or `env.sleep()` waits in real time: days), when
 *
 * - a child workflow completes after its parent has closed (a settlement, which a sold auction starts
 *   abandoned and which ends days later): its completion takes a lock that only the parent's bookkeeping
 *   releases, and a closed parent refuses it; or
 * - a workflow is terminated while one of its workflow or activity tasks is outstanding.
 *
 * So this waits until no task is outstanding, then terminates. Nothing happens when the workflow does
 * not exist or is closed already.
 */
export async function terminateWhenIdle(handle: WorkflowHandle, reason: string, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    let running: boolean;
    try {
      running = (await handle.describe()).status.name === 'RUNNING';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return;
      throw error;
    }
    if (!running) return;
    if (!hasOutstandingTask(await handle.fetchHistory())) break;
    if (Date.now() > deadline)
      throw new Error(`${handle.workflowId} still has a task outstanding after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await handle.terminate(reason);
}

function hasOutstandingTask(history: History): boolean {
  const id = (value: unknown) => String(value);
  const activities = new Set<string>();
  let workflowTask = false;
  for (const event of history.events ?? []) {
    if (event.workflowTaskScheduledEventAttributes) workflowTask = true;
    if (
      event.workflowTaskCompletedEventAttributes ||
      event.workflowTaskFailedEventAttributes ||
      event.workflowTaskTimedOutEventAttributes
    ) {
      workflowTask = false;
    }
    if (event.activityTaskScheduledEventAttributes) activities.add(id(event.eventId));
    const closed =
      event.activityTaskCompletedEventAttributes ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (closed) activities.delete(id(closed.scheduledEventId));
  }
  return workflowTask || activities.size > 0;
}
