/**
 * A worker of the real auction workflow and activities, in this test process, against the test
 * stack's Temporal dev server, on a task queue of its own (so test files never steal each other's tasks).
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { settlementOptions } from '../../activities/settlement/index.js';
import { createMailer } from '../../activities/notifications/email-sender.js';
import { webhookDeliveryOptions } from '../../activities/notifications/webhook-delivery.js';
import { closeRedis, createRedis } from '../../config/redis.js';
import type { Database } from '../../db/pool.js';
import { BiddingStore } from '../../lua/bidding-store.js';
import { SaleStore } from '../../lua/sale-store.js';
import { testConfig } from './config.js';
import type { WorkflowHandle } from '@temporalio/client';
import { outboxDispatchWorkflowId, type Outbox } from '../../domain/temporal-names.js';
import { outboxDispatchWorkflow } from '../../workflows/notifications/outbox-dispatch.js';
import { installQuietRuntime } from './runtime.js';

export async function startTestWorker(db: Database, overrides: Record<string, string> = {}) {
  installQuietRuntime();
  const config = testConfig(overrides);
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
    activities: createActivities({
      db,
      redis,
      store,
      sales: new SaleStore(redis),
      mail,
      webhooks: webhookDeliveryOptions(config),
      settlement: settlementOptions(config),
    }),
  });
  const running = worker.run();
  /** Runs an outbox's dispatcher on this worker's queue until the worker stops. */
  const dispatch = async (outbox: Outbox) => {
    const handle = await env.client.workflow.start(outboxDispatchWorkflow, {
      workflowId: outboxDispatchWorkflowId(outbox, taskQueue),
      taskQueue,
      args: [outbox],
    });
    dispatchers.push(handle);
  };
  const dispatchers: WorkflowHandle[] = [];
  return {
    client: env.client,
    taskQueue,
    worker,
    store,
    dispatch,
    stop: async () => {
      // Their activities poll for a minute; ending the workflows cancels them, so the worker drains at once.
      await Promise.allSettled(dispatchers.map((handle) => handle.terminate('test over')));
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await env.teardown();
      await closeRedis(redis);
      mail.transport.close();
    },
  };
}

export type TestWorker = Awaited<ReturnType<typeof startTestWorker>>;
