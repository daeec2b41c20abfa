/** The project's own processes under the supervisor: the Temporal worker and the HTTP API. */
import path from 'node:path';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { AUCTION_TASK_QUEUE } from '../../domain/temporal-names.js';
import { startChild, type Child } from './child.js';
import { repoRoot, serviceEnv, type Profile } from './profiles.js';
import { waitUntilReady } from './wait.js';

const tsEntry = (file: string) => ['node', '--import', 'tsx', path.join(repoRoot, file)];

/** Ready once the Temporal server lists this very process among the task queue's pollers. */
async function workerIsPolling(address: string, pid: number): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: AUCTION_TASK_QUEUE },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if (!pollers?.some((poller) => poller.identity?.startsWith(`${pid}@`))) throw new Error('worker not polling yet');
  } finally {
    await connection.close();
  }
}

async function apiIsReady(port: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  if (response.status !== 200) throw new Error(`/readyz answered ${response.status}: ${await response.text()}`);
}

/**
 * `npm start` is for trying Gavel on one machine, where a webhook receiver listens on localhost: the
 * private-network guard would refuse it, so it is off here (docs/SECURITY.md, "Webhooks"), unless the
 * caller's environment says otherwise. Never in production. Payment and offer windows may be as short
 * as a minute, so an unpaid order and a second chance can be tried in minutes, not hours.
 */
const developmentEnv = (): Record<string, string> => ({
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? 'true',
  SETTLEMENT_MIN_WINDOW_SECONDS: process.env.SETTLEMENT_MIN_WINDOW_SECONDS ?? '60',
});

export async function startWorker(p: Profile, env: Record<string, string> = {}): Promise<Child> {
  const child = startChild({
    name: 'worker',
    argv: tsEntry('worker/main.ts'),
    env: { NODE_ENV: 'development', ...developmentEnv(), ...serviceEnv(p), ...env },
    logFile: path.join(p.logDir, 'worker.log'),
    cwd: repoRoot,
  });
  await waitUntilReady(child, () => workerIsPolling(serviceEnv(p).TEMPORAL_ADDRESS!, child.process.pid!), 90_000);
  return child;
}

export async function startApi(p: Profile, port: number, env: Record<string, string> = {}): Promise<Child> {
  const child = startChild({
    name: 'api',
    argv: tsEntry('api/main.ts'),
    env: { NODE_ENV: 'development', ...developmentEnv(), ...serviceEnv(p), PORT: String(port), ...env },
    logFile: path.join(p.logDir, 'api.log'),
    cwd: repoRoot,
  });
  await waitUntilReady(child, () => apiIsReady(port), 60_000);
  return child;
}
