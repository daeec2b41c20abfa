/**
 * Applies the migrations and exits: `node dist/db/migrate-main.js`. The Helm chart runs it as a
 * pre-install/pre-upgrade hook, so a release's schema is in place before its pods start, and a
 * migration that fails stops the upgrade with the old pods still serving. The API and worker still
 * migrate at start, under the same advisory lock, so running it beside them is safe. It reads only
 * `DATABASE_URL` (and `LOG_LEVEL`).
 */
import { loadConfig } from '../config/env.js';
import { createLogger, exitOnCrash } from '../config/logger.js';
import { migrateDatabase } from './migrate.js';
import { openDatabase } from './pool.js';

const config = loadConfig('tool');
const logger = createLogger(config, 'migrate');
exitOnCrash(logger);

const database = openDatabase(config.DATABASE_URL, 1);
const started = Date.now();
try {
  await migrateDatabase(database.pool);
  logger.info({ ms: Date.now() - started }, 'migrations applied');
} finally {
  await database.pool.end();
}
