/**
 * The primary of an API cluster (API_PROCESSES > 1, node:cluster): it serves no requests itself. It
 * applies the migrations once, forks the workers (each runs api/run.ts and listens on PORT, whose
 * connections the primary hands out in turn), serves their metrics summed on METRICS_PORT, starts
 * another worker when one dies, and on SIGTERM/SIGINT has every worker drain as a lone process does,
 * exiting once all have exited: 0 if every one did.
 */
import cluster, { type Worker } from 'node:cluster';
import { generateKeyPairSync } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import { serveMetrics } from '../config/metrics-server.js';
import { migrateDatabase } from '../db/migrate.js';
import { openDatabase } from '../db/pool.js';
import { summedWorkerMetrics } from './cluster-metrics.js';

/** A worker that dies after it listened is replaced after this pause, so a crash loop does not spin. */
const RESTART_DELAY_MS = 1000;

export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  // Once, before any worker starts: N processes would each take the migration lock in turn for nothing.
  const database = openDatabase(config.DATABASE_URL, 1);
  try {
    await migrateDatabase(database.pool);
  } finally {
    await database.pool.end();
  }
  const metricsServer = await serveMetrics(summedWorkerMetrics(), config.HOST, config.METRICS_PORT!);
  const env = workerEnv(config, logger);

  const live = new Set<Worker>();
  const listening = new Set<Worker>();
  const restarts = new Set<NodeJS.Timeout>();
  let shuttingDown = false;
  /** A worker failed to start, or one did not drain cleanly: the primary exits 1. */
  let failed = false;
  const fork = () => live.add(cluster.fork(env));

  cluster.on('listening', (worker) => {
    listening.add(worker);
    if (listening.size === config.API_PROCESSES) {
      logger.info(
        { host: config.HOST, port: config.PORT, metricsPort: config.METRICS_PORT, processes: config.API_PROCESSES },
        'api listening',
      );
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    const wasListening = listening.delete(worker);
    if (shuttingDown) {
      if (code !== 0) failed = true;
      if (live.size === 0) exit();
      return;
    }
    if (!wasListening) {
      // It never got as far as listening (a port in use, a bad setting): another would fail the same way.
      logger.fatal({ pid: worker.process.pid, code, signal }, 'an api worker failed to start: stopping');
      failed = true;
      shutdown('a worker failed to start');
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'an api worker exited: starting another');
    const timer = setTimeout(() => {
      restarts.delete(timer);
      fork();
    }, RESTART_DELAY_MS);
    restarts.add(timer);
  });

  function exit(): void {
    metricsServer.close();
    logger.info({ failed }, 'api workers stopped');
    process.exit(failed ? 1 : 0);
  }

  /** Each worker drains as api/run.ts does on its own (a terminal's Ctrl-C reaches them directly too). */
  function shutdown(reason: string): void {
    if (shuttingDown) return;
    shuttingDown = true;
    for (const timer of restarts) clearTimeout(timer);
    logger.info({ reason, workers: live.size }, 'shutting down: draining every api worker');
    // Past the workers' own limit (they exit 1 at twice the timeout), whatever is left is killed.
    setTimeout(
      () => {
        logger.error('api workers did not stop in time: killing them');
        for (const worker of live) worker.process.kill('SIGKILL');
        process.exit(1);
      },
      2 * config.SHUTDOWN_TIMEOUT_MS + 1000,
    ).unref();
    if (live.size === 0) exit();
    // Not worker.kill(): it disconnects the IPC channel first, which makes a worker exit without draining.
    for (const worker of live) worker.process.kill('SIGTERM');
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  for (let i = 0; i < config.API_PROCESSES; i++) fork();
}

/**
 * What every worker must share beyond the primary's own environment: the token signing key. Without a
 * configured one (development; production requires it), each process would make its own, and a token
 * signed by one worker would be refused by the next; so the primary makes one for all of them.
 */
function workerEnv(config: Config, logger: Logger): Record<string, string> {
  if (config.JWT_PRIVATE_KEY !== undefined) return {};
  logger.info('no JWT_PRIVATE_KEY: the api workers share a key made for this run');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { JWT_PRIVATE_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}
