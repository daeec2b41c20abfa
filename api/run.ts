/**
 * One API process: connections, migrations, listen; SIGTERM/SIGINT drain and exit. Run by api/main.ts
 * alone (API_PROCESSES=1) or in each worker of a cluster (api/cluster.ts).
 */
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import { serveMetrics } from '../config/metrics-server.js';
import { migrateDatabase } from '../db/migrate.js';
import { buildApi } from './build.js';
import { answerPrimaryMetrics } from './cluster-metrics.js';
import { connectDependencies } from './dependencies.js';
import type { Tracing } from '../tracing/start.js';
import { drain, listen } from './server.js';

/** How soon SSE clients cut at shutdown should reconnect (to another process, behind a balancer). */
const SSE_RETRY_AFTER_SHUTDOWN_MS = 1000;
/**
 * How long a keep-alive socket idle when the drain begins may still carry one more request (answered
 * with `Connection: close`) before it is closed: a client between two requests is answered, not reset.
 */
const DRAIN_IDLE_GRACE_MS = 1000;

/**
 * `inCluster`: a worker of api/cluster.ts, whose primary has applied the migrations already and serves
 * the workers' metrics summed on METRICS_PORT; this process answers its requests for them. `tracing`:
 * what api/main.ts started before it loaded this module (null when tracing is off).
 */
export async function runApi(
  config: Config,
  logger: Logger,
  { inCluster, tracing }: { inCluster: boolean; tracing: Tracing | null },
): Promise<void> {
  const primaryMetrics = inCluster ? answerPrimaryMetrics() : null;
  const deps = connectDependencies(config);
  if (!inCluster) await migrateDatabase(deps.database.pool);
  const { app, hub, lifecycle, metrics, stop } = await buildApi(config, deps, logger);
  primaryMetrics?.serve(metrics.registry);
  const server = await listen(app, config.HOST, config.PORT);
  const metricsServer =
    config.METRICS_PORT === undefined || inCluster
      ? null
      : await serveMetrics(metrics.registry, config.HOST, config.METRICS_PORT);
  logger.info({ host: config.HOST, port: config.PORT, metricsPort: config.METRICS_PORT }, 'api listening');

  async function shutdown(signal: string): Promise<void> {
    if (lifecycle.isShuttingDown()) return;
    lifecycle.beginShutdown();
    const started = Date.now();
    // The drain is bounded by the timeout; releasing the connections after it should take moments. If
    // it hangs (a query that never returns), give up rather than wait for something to kill the process.
    setTimeout(() => {
      logger.error('shutdown did not finish in time: exiting');
      process.exit(1);
    }, 2 * config.SHUTDOWN_TIMEOUT_MS).unref();
    logger.info({ signal, streams: hub.streamCount }, 'shutting down: closing streams, draining requests');
    hub.closeAll(SSE_RETRY_AFTER_SHUTDOWN_MS);
    await drain(server, config.SHUTDOWN_TIMEOUT_MS, logger, DRAIN_IDLE_GRACE_MS);
    const drainedMs = Date.now() - started;
    metricsServer?.close();
    stop();
    await deps.close();
    await tracing?.shutdown();
    logger.info({ drainedMs, stoppedMs: Date.now() - started }, 'api stopped');
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
