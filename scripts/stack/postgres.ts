/** PostgreSQL from the system's packages, in a cluster of the profile's own, on the profile's port. */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { asServiceUser, handOver, runAsServiceUser } from './as-user.js';
import { startChild, type Child } from './child.js';
import { DATABASE_NAME, DATABASE_PASSWORD, DATABASE_USER, type Profile } from './profiles.js';
import { waitUntilReady } from './wait.js';

function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => /^\d+$/.test(v)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`no PostgreSQL server found under ${base} (scripts/setup.sh installs it)`);
  return path.join(base, newest, 'bin');
}

function initCluster(bin: string, dir: string, dataDir: string): void {
  const pwFile = path.join(dir, 'initdb.pw');
  fs.writeFileSync(pwFile, `${DATABASE_PASSWORD}\n`, { mode: 0o600 });
  handOver(dir);
  try {
    runAsServiceUser([
      path.join(bin, 'initdb'),
      `--pgdata=${dataDir}`,
      `--username=${DATABASE_USER}`,
      `--pwfile=${pwFile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
    ]);
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: DATABASE_USER,
    password: DATABASE_PASSWORD,
    database: 'postgres',
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}

async function ping(port: number): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: DATABASE_USER,
    password: DATABASE_PASSWORD,
    database: 'postgres',
    connectionTimeoutMillis: 1000,
  });
  await client.connect();
  await client.end();
}

export async function startPostgres(p: Profile): Promise<Child> {
  const bin = postgresBinDir();
  const dir = path.join(p.stateDir, 'postgres');
  const dataDir = path.join(dir, 'data');
  const socketDir = path.join(dir, 'run');
  fs.mkdirSync(socketDir, { recursive: true });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) initCluster(bin, dir, dataDir);
  handOver(dir);
  const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${socketDir}`, 'max_connections=200'];
  if (p.fast) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  const child = startChild({
    name: 'postgres',
    argv: asServiceUser([
      path.join(bin, 'postgres'),
      '-D',
      dataDir,
      '-p',
      String(p.postgresPort),
      ...settings.flatMap((s) => ['-c', s]),
    ]),
    logFile: path.join(p.logDir, 'postgres.log'),
  });
  await waitUntilReady(child, () => ping(p.postgresPort), 30_000);
  await ensureDatabase(p.postgresPort);
  return child;
}
