/**
 * The worker process's entry. Tracing starts before the worker's modules load, so its hooks see them
 * (tracing/start.ts); that is why the worker itself comes in by a dynamic import.
 */
import { loadConfig } from '../config/env.js';
import { createLogger, exitOnCrash } from '../config/logger.js';
import { startTracing } from '../tracing/start.js';

const config = loadConfig('worker');
const logger = createLogger(config, 'worker');
exitOnCrash(logger);

const tracing = await startTracing(config, 'gavel-worker', logger);
const { runWorker } = await import('./process.js');
await runWorker(config, logger, tracing);
