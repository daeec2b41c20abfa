/** The API process: config, connections, migrations, listen; SIGTERM/SIGINT drain and exit. */
import { loadConfig } from '../config/env.js';
import { createLogger, exitOnCrash } from '../config/logger.js';
import { migrateDatabase } from '../db/migrate.js';
import { createApp } from './app.js';
import { connectDependencies } from './dependencies.js';
import { createMetrics } from './metrics.js';
import { createLifecycle, drain, listen } from './server.js';

const config = loadConfig();
const logger = createLogger(config, 'api');
exitOnCrash(logger);

const deps = connectDependencies(config);
await migrateDatabase(deps.database.pool);
const lifecycle = createLifecycle();
const app = createApp({
  logger,
  metrics: createMetrics(),
  readinessChecks: deps.readinessChecks,
  readinessTimeoutMs: config.READINESS_TIMEOUT_MS,
  isShuttingDown: lifecycle.isShuttingDown,
});
const server = await listen(app, config.HOST, config.PORT);
logger.info({ host: config.HOST, port: config.PORT }, 'api listening');

async function shutdown(signal: string): Promise<void> {
  if (lifecycle.isShuttingDown()) return;
  lifecycle.beginShutdown();
  logger.info({ signal }, 'shutting down: draining requests');
  await drain(server, config.SHUTDOWN_TIMEOUT_MS, logger);
  await deps.close();
  logger.info('api stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
