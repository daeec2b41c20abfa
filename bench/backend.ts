/**
 * What a bench runs against besides the API it measures: connections to the bench stack, migrations,
 * and a real worker process on a task queue of the run's own.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { connectDependencies } from '../api/dependencies.js';
import { parseConfig, type Config } from '../config/env.js';
import { migrateDatabase } from '../db/migrate.js';
import { freePort } from '../test/helpers/api-process.js';
import { spawnWorker } from '../test/helpers/worker-process.js';

/** `workerEnv`: settings for this backend's worker only (a bench may run two, configured apart). */
export async function startBenchBackend(workerEnv: Record<string, string> = {}) {
  const taskQueue = `bench-${randomUUID()}`;
  const config = parseConfig({ ...process.env, TEMPORAL_TASK_QUEUE: taskQueue });
  const deps = connectDependencies(config);
  await migrateDatabase(deps.database.pool);
  const worker = spawnWorker({
    DATABASE_URL: config.DATABASE_URL,
    REDIS_URL: config.REDIS_URL,
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: taskQueue,
    ...workerEnv,
  });
  /** Stops the worker, then the given servers (cutting their open connections), then the connections. */
  const stop = async (servers: http.Server[]) => {
    worker.process.kill('SIGTERM');
    await worker.exited;
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    await deps.close();
  };
  return { config, deps, worker, stop };
}

/**
 * What an API started as deployed (test/helpers/api-process.ts spawnApi) needs to serve this backend
 * as `processes` processes: its stack, its task queue, and a metrics port of its own.
 */
export async function deployedApiEnv(config: Config, processes: number): Promise<Record<string, string>> {
  return {
    API_PROCESSES: String(processes),
    METRICS_PORT: String(await freePort()),
    DATABASE_URL: config.DATABASE_URL,
    REDIS_URL: config.REDIS_URL,
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
  };
}
