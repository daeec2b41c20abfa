/**
 * A database of the test's own on the test stack's Postgres, so test files never see each other's
 * rows. Dropped (with its connections) at the end.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateDatabase } from '../../db/migrate.js';
import { openDatabase, type DatabaseHandle } from '../../db/pool.js';
import { testConfig } from './config.js';

export interface TestDatabase extends DatabaseHandle {
  url: string;
  name: string;
  drop: () => Promise<void>;
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(testConfig().DATABASE_URL);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(options: { migrate: boolean } = { migrate: true }): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(testConfig().DATABASE_URL);
  url.pathname = `/${name}`;
  const handle = openDatabase(url.toString(), 5);
  if (options.migrate) await migrateDatabase(handle.pool);
  return {
    ...handle,
    url: url.toString(),
    name,
    drop: async () => {
      await handle.pool.end();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
