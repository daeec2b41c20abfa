/**
 * The API's entry point: one process (API_PROCESSES=1), or the primary and workers of a node:cluster
 * sharing PORT (api/cluster.ts), each worker running the same API as a lone process does.
 */
import cluster from 'node:cluster';
import { loadConfig } from '../config/env.js';
import { createLogger, exitOnCrash } from '../config/logger.js';
import { runPrimary } from './cluster.js';
import { runApi } from './run.js';

const config = loadConfig('api');
const logger = createLogger(config, 'api');
exitOnCrash(logger);

if (config.API_PROCESSES === 1) await runApi(config, logger, { inCluster: false });
else if (cluster.isPrimary) await runPrimary(config, logger);
else await runApi(config, logger, { inCluster: true });
