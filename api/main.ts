/**
 * The API's entry point: one process (API_PROCESSES=1), or the primary and workers of a node:cluster
 * sharing PORT (api/cluster.ts), each worker running the same API as a lone process does. A process that
 * serves starts tracing before the API's modules load, so its hooks see them (tracing/start.ts): that is
 * why the API comes in by a dynamic import.
 */
import cluster from 'node:cluster';
import { loadConfig } from '../config/env.js';
import { createLogger, exitOnCrash } from '../config/logger.js';
import { startTracing } from '../tracing/start.js';

const config = loadConfig('api');
const logger = createLogger(config, 'api');
exitOnCrash(logger);

if (config.API_PROCESSES > 1 && cluster.isPrimary) {
  const { runPrimary } = await import('./cluster.js');
  await runPrimary(config, logger);
} else {
  const tracing = await startTracing(config, 'gavel-api', logger);
  const { runApi } = await import('./run.js');
  await runApi(config, logger, { inCluster: config.API_PROCESSES > 1, tracing });
}
