/**
 * The worker process, once its entry (worker/main.ts) has started tracing: migrations, then poll the
 * auction task queue until SIGINT/SIGTERM.
 */
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { settlementOptions } from '../activities/settlement/index.js';
import { createMailer } from '../activities/notifications/email-sender.js';
import { startOutboxDispatch } from './outbox-dispatch.js';
import { webhookDeliveryOptions } from '../activities/notifications/webhook-delivery.js';
import type { Config } from '../config/env.js';
import { temporalConnectionOptions } from '../config/temporal-connection.js';
import { closeRedis, createRedis } from '../config/redis.js';
import type { Logger } from 'pino';
import { serveMetrics } from '../config/metrics-server.js';
import { sdkMetrics } from './sdk-metrics.js';
import { migrateDatabase } from '../db/migrate.js';
import { openDatabase } from '../db/pool.js';
import { BiddingStore } from '../lua/bidding-store.js';
import { SaleStore } from '../lua/sale-store.js';
import { createWorkerMetrics } from './metrics.js';
import type { Tracing } from '../tracing/start.js';
import { clientTracing, workerTracing } from '../tracing/temporal.js';
import { workflowSource } from './workflow-source.js';

export async function runWorker(config: Config, logger: Logger, tracing: Tracing | null): Promise<void> {
  // The SDK tells running activities of a shutdown only when shutdownGraceTime ends; this tells them at
  // once, so the persist activity stops lingering and the worker drains promptly (activities/bidding.ts).
  const stopping = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down: finishing running tasks');
      stopping.abort();
    });
  }

  const sdkLevel: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN' };
  // Only when something serves them: the SDK's exporter is a server of its own.
  const sdk = config.METRICS_PORT === undefined ? null : await sdkMetrics();
  Runtime.install({
    ...(sdk ? { telemetryOptions: sdk.telemetryOptions } : {}),
    // SIGINT/SIGTERM stop polling; worker.run() resolves once in-flight tasks finish. Activities still
    // running when shutdownGraceTime ends are cancelled.
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    logger: new DefaultLogger(sdkLevel[config.LOG_LEVEL] ?? 'ERROR', ({ level, message, meta }) =>
      logger[level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error')](meta, message),
    ),
  });

  const database = openDatabase(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  await migrateDatabase(database.pool);
  const redis = createRedis(config, 'worker');
  redis.on('error', (error) => logger.warn({ err: error }, 'redis'));
  const mail = createMailer(config);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  // The worker's own client: it starts the outbox dispatchers and asks for the workflow gauge.
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    interceptors: clientTracing(tracing !== null),
  });
  const metrics = createWorkerMetrics(database.db, { client, taskQueue: config.TEMPORAL_TASK_QUEUE });
  // Without METRICS_PORT the activities still count; nothing serves the figures.
  const metricsServer =
    config.METRICS_PORT === undefined || sdk === null
      ? null
      : await serveMetrics(sdk.withSdkMetrics(metrics.registry), config.HOST, config.METRICS_PORT);
  const source = workflowSource(config, tracing !== null);
  const traced = workerTracing(tracing);
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: createActivities({
      db: database.db,
      redis,
      store: new BiddingStore(redis),
      sales: new SaleStore(redis),
      stopping: stopping.signal,
      outbids: config.OUTBID_NOTIFICATIONS,
      mail,
      webhooks: webhookDeliveryOptions(config),
      settlement: settlementOptions(config),
      metrics: metrics.activities,
    }),
    workflowBundle: source.workflowBundle,
    workflowsPath: source.workflowsPath,
    interceptors: { ...source.interceptors, ...traced.interceptors },
    sinks: traced.sinks,
    shutdownGraceTime: `${config.SHUTDOWN_TIMEOUT_MS} ms`,
    // A worker still not drained by then (an activity ignoring its cancellation) gives up: run() throws,
    // and the process exits 1 instead of hanging until something kills it.
    shutdownForceTime: `${2 * config.SHUTDOWN_TIMEOUT_MS} ms`,
  });
  logger.info(
    { taskQueue: config.TEMPORAL_TASK_QUEUE, mode: config.NODE_ENV, metricsPort: config.METRICS_PORT },
    'worker polling',
  );
  await startOutboxDispatch(client, config);
  await worker.run();
  metricsServer?.close();
  mail.transport.close();
  await connection.close();
  await database.pool.end();
  await closeRedis(redis);
  await tracing?.shutdown();
  logger.info('worker stopped');
}
