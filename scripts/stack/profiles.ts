/**
 * A profile is one local stack: its state folder and ports. `dev` (npm start) keeps its data across
 * restarts; `test` (npm test) is wiped on every run and uses other ports, so both can run at once.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const stateRoot = path.join(repoRoot, '.gavel');
export const temporalCli = path.join(stateRoot, 'bin', 'temporal');

export interface Profile {
  name: string;
  stateDir: string;
  /** The supervisor's lock: beside the state folder, which a fresh start wipes. */
  lockFile: string;
  logDir: string;
  /** Wipe state before starting (tests start from nothing). */
  fresh: boolean;
  /** Trade durability for speed (tests only: fsync off). */
  fast: boolean;
  postgresPort: number;
  redisPort: number;
  temporalPort: number;
  /** null: run the Temporal dev server headless. */
  temporalUiPort: number | null;
  /** null: Temporal keeps its state in memory. */
  temporalDbFile: string | null;
}

function profile(name: string, ports: [number, number, number, number | null], dev: boolean): Profile {
  const stateDir = path.join(stateRoot, name);
  const [postgresPort, redisPort, temporalPort, temporalUiPort] = ports;
  return {
    name,
    stateDir,
    lockFile: path.join(stateRoot, `${name}.lock.json`),
    logDir: path.join(stateDir, 'logs'),
    fresh: !dev,
    fast: !dev,
    postgresPort,
    redisPort,
    temporalPort,
    temporalUiPort,
    temporalDbFile: dev ? path.join(stateDir, 'temporal', 'temporal.db') : null,
  };
}

/**
 * GAVEL_TEST_SLOT=N (1-9) gives a test run its own folder and ports (+10·N), so several checkouts or
 * people can run `npm test` on one machine at once.
 */
function testSlot(): number {
  const slot = Number(process.env.GAVEL_TEST_SLOT ?? 0);
  if (!Number.isInteger(slot) || slot < 0 || slot > 9) throw new Error('GAVEL_TEST_SLOT must be 0-9');
  return slot;
}

function testProfile(): Profile {
  const slot = testSlot();
  const offset = slot * 10;
  return profile(slot === 0 ? 'test' : `test-${slot}`, [5545 + offset, 6391 + offset, 7234 + offset, null], false);
}

/**
 * `npm run test:faults`: wiped per run like tests, but durable like dev (fsync on, AOF everysec, the
 * Temporal db file kept), because the scenarios kill and restart the services and count what survived.
 */
function faultsProfile(): Profile {
  const slot = testSlot();
  const offset = slot * 10;
  const name = slot === 0 ? 'faults' : `faults-${slot}`;
  const ports: [number, number, number, null] = [5745 + offset, 6591 + offset, 7434 + offset, null];
  return { ...profile(name, ports, true), fresh: true };
}

export const profiles = {
  dev: profile('dev', [5544, 6390, 7233, 8233], true),
  test: testProfile(),
  faults: faultsProfile(),
};

export const DATABASE_NAME = 'gavel';
export const DATABASE_USER = 'gavel';
export const DATABASE_PASSWORD = 'gavel';

/** The environment that points the app (API, worker, tests) at a profile's services. */
export function serviceEnv(p: Profile): Record<string, string> {
  return {
    DATABASE_URL: `postgres://${DATABASE_USER}:${DATABASE_PASSWORD}@127.0.0.1:${p.postgresPort}/${DATABASE_NAME}`,
    REDIS_URL: `redis://127.0.0.1:${p.redisPort}`,
    TEMPORAL_ADDRESS: `127.0.0.1:${p.temporalPort}`,
  };
}
