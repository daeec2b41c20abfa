/**
 * Applies the checked-in migrations. Several processes (API and worker replicas) start at once, and
 * drizzle's migrator is not safe against itself, so each run holds a Postgres advisory lock: the
 * first applies, the others wait, then find nothing left to do.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

/** Any fixed 64-bit key; it only has to differ from other advisory locks the app takes. */
const MIGRATION_LOCK_KEY = 4_711_000_001;

/** Beside this module in the source tree; `npm run build` copies them next to the compiled module too. */
export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export async function migrateDatabase(pool: pg.Pool): Promise<void> {
  if (!fs.existsSync(migrationsFolder)) throw new Error(`migrations folder not found: ${migrationsFolder}`);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(client), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
