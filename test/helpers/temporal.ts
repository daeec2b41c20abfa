/**
 * A worker of the real auction workflow and activities, in this test process, against the test
 * stack's Temporal dev server, on a task queue of its own (so test files never steal each other's tasks).
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, Worker, DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { createMailer } from '../../activities/notifications/email-sender.js';
import { closeRedis, createRedis } from '../../config/redis.js';
import type { Database } from '../../db/pool.js';
import { BiddingStore } from '../../lua/bidding-store.js';
import { testConfig } from './config.js';

let runtimeInstalled = false;

/** Worker logs at WARN, so test output shows problems, not every task. Once per process (an SDK rule). */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}

export async function startTestWorker(db: Database) {
  installQuietRuntime();
  const config = testConfig();
  const env = await TestWorkflowEnvironment.createFromExistingServer({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
  });
  const taskQueue = `test-${randomUUID()}`;
  const redis = createRedis(config, 'worker');
  const store = new BiddingStore(redis);
  const mail = createMailer(config);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)),
    activities: createActivities({ db, redis, store, mail }),
  });
  const running = worker.run();
  return {
    client: env.client,
    taskQueue,
    worker,
    store,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await env.teardown();
      await closeRedis(redis);
      mail.transport.close();
    },
  };
}

export type TestWorker = Awaited<ReturnType<typeof startTestWorker>>;
