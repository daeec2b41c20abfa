/**
 * A profile is one local stack: its state folder and ports. `dev` (npm start) keeps its data across
 * restarts; `test` (npm test) is wiped on every run and uses other ports, so both can run at once.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEVELOPMENT_STRIPE_SECRET_KEY, DEVELOPMENT_STRIPE_WEBHOOK_SECRET } from '../../config/env.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const stateRoot = path.join(repoRoot, '.gavel');
export const temporalCli = path.join(stateRoot, 'bin', 'temporal');
/** The MinIO server built by setup.sh: the local S3 for auction images. */
export const minioServer = path.join(stateRoot, 'bin', 'minio');
/** The Mailpit server built by setup.sh: the local SMTP server that catches mail (web UI and HTTP API). */
export const mailpitServer = path.join(stateRoot, 'bin', 'mailpit');
/** stripe-mock, built by setup.sh: Stripe's own mock of its API (stateless, canned answers). */
export const stripeMockServer = path.join(stateRoot, 'bin', 'stripe-mock');

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
  /** One server on redisPort, or (GAVEL_REDIS=cluster) a three-master Cluster on redisClusterPorts. */
  redis: RedisMode;
  redisClusterPorts: number[];
  temporalPort: number;
  /** null: run the Temporal dev server headless. */
  temporalUiPort: number | null;
  /** null: Temporal keeps its state in memory. */
  temporalDbFile: string | null;
  /** The S3 API of the local MinIO (images); its data lives in stateDir/s3. */
  s3Port: number;
  /** Mailpit's SMTP port (what SMTP_URL names); its messages live in stateDir/mailpit. */
  smtpPort: number;
  /** Mailpit's web UI and HTTP API (what MAILPIT_URL names). */
  mailpitHttpPort: number;
  /** stripe-mock over plain HTTP: what STRIPE_API_URL names. */
  stripeMockPort: number;
  /**
   * stripe-mock's HTTPS listener (self-signed): nothing uses it, but stripe-mock opens one unless told
   * where, and its default (12112 on every interface) would collide between stacks.
   */
  stripeMockHttpsPort: number;
}

export type RedisMode = 'single' | 'cluster';

function redisMode(): RedisMode {
  const mode = process.env.GAVEL_REDIS || 'single';
  if (mode !== 'single' && mode !== 'cluster') throw new Error('GAVEL_REDIS must be single or cluster');
  return mode;
}

type Ports = [
  postgres: number,
  redis: number,
  temporal: number,
  temporalUi: number | null,
  s3: number,
  smtp: number,
  mailpitHttp: number,
  stripeMock: number,
];

function profile(name: string, ports: Ports, dev: boolean, redisClusterBase: number): Profile {
  const stateDir = path.join(stateRoot, name);
  const [postgresPort, redisPort, temporalPort, temporalUiPort, s3Port, smtpPort, mailpitHttpPort, stripeMockPort] =
    ports;
  return {
    name,
    stateDir,
    lockFile: path.join(stateRoot, `${name}.lock.json`),
    logDir: path.join(stateDir, 'logs'),
    fresh: !dev,
    fast: !dev,
    postgresPort,
    redisPort,
    redis: redisMode(),
    redisClusterPorts: [0, 1, 2].map((i) => redisClusterBase + i),
    temporalPort,
    temporalUiPort,
    temporalDbFile: dev ? path.join(stateDir, 'temporal', 'temporal.db') : null,
    s3Port,
    smtpPort,
    mailpitHttpPort,
    stripeMockPort,
    stripeMockHttpsPort: stripeMockPort + 1,
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
  // The Redis Cluster's three ports lie inside the slot's ten (6396-6398 for slot 0; stack-persistence has 6392).
  // Mailpit: SMTP 1125 and HTTP 8125 for slot 0 (dev has Mailpit's own 1025 and 8025).
  // stripe-mock: HTTP 12211 and HTTPS 12212 for slot 0 (dev has stripe-mock's own 12111 and 12112).
  const ports: Ports = [
    5545 + offset,
    6391 + offset,
    7234 + offset,
    null,
    9101 + offset,
    1125 + offset,
    8125 + offset,
    12211 + offset,
  ];
  return profile(slot === 0 ? 'test' : `test-${slot}`, ports, false, 6396 + offset);
}

/**
 * `npm run test:faults`: wiped per run like tests, but durable like dev (fsync on, AOF everysec, the
 * Temporal db file kept), because the scenarios kill and restart the services and count what survived.
 */
function faultsProfile(): Profile {
  const slot = testSlot();
  const offset = slot * 10;
  const name = slot === 0 ? 'faults' : `faults-${slot}`;
  // The scenarios start no S3 server and no Mailpit: none of them uploads images or reads mail (the
  // ports are only named). Mailpit's HTTP port is 8525, not 8325: stack-persistence's Temporal UI runs
  // up to 8325 (8235 + 10·N). stripe-mock: 12411 and 12412, after the test slots' 12211-12302.
  const ports: Ports = [
    5745 + offset,
    6591 + offset,
    7434 + offset,
    null,
    9301 + offset,
    1325 + offset,
    8525 + offset,
    12411 + offset,
  ];
  // One Redis server: the Redis scenario kills and restarts that one process.
  return { ...profile(name, ports, true, 6596 + offset), fresh: true, redis: 'single' };
}

export const profiles = {
  // 6380-6382: below every test slot's ports (6391 + 10·N and up); S3 on 9100, tests on 9101 + 10·N.
  // Mailpit on its own defaults (SMTP 1025, UI and API 8025); tests on 1125 and 8125 + 10·N.
  // stripe-mock on its own defaults (HTTP 12111, HTTPS 12112); tests on 12211 and 12212 + 10·N.
  dev: profile('dev', [5544, 6390, 7233, 8233, 9100, 1025, 8025, 12111], true, 6380),
  test: testProfile(),
  faults: faultsProfile(),
};

export const DATABASE_NAME = 'gavel';
export const DATABASE_USER = 'gavel';
export const DATABASE_PASSWORD = 'gavel';

/** Where the profile's Redis listens: one address, or every node of its Cluster. */
export const redisAddresses = (p: Profile): string[] =>
  (p.redis === 'cluster' ? p.redisClusterPorts : [p.redisPort]).map((port) => `127.0.0.1:${port}`);

// --- Images: the local MinIO's fixed credentials and bucket (local use only) ---
export const S3_ACCESS_KEY_ID = 'gavel';
/** MinIO wants at least 8 characters. */
export const S3_SECRET_ACCESS_KEY = 'gavel-local-secret';
export const S3_BUCKET = 'gavel-images';
export const S3_REGION = 'us-east-1';

export const s3Endpoint = (p: Profile) => `http://127.0.0.1:${p.s3Port}`;

// --- Mail: the local Mailpit (accepts any SMTP login, no TLS: local use only) ---
export const smtpUrl = (p: Profile) => `smtp://127.0.0.1:${p.smtpPort}`;
export const mailpitUrl = (p: Profile) => `http://127.0.0.1:${p.mailpitHttpPort}`;

// --- Payments: the local stripe-mock (accepts any test-mode key, sk_test_<no more underscores>) ---
export const stripeMockUrl = (p: Profile) => `http://127.0.0.1:${p.stripeMockPort}`;

/** The environment that points the app (API, worker, tests) at a profile's services. */
export function serviceEnv(p: Profile): Record<string, string> {
  return {
    DATABASE_URL: `postgres://${DATABASE_USER}:${DATABASE_PASSWORD}@127.0.0.1:${p.postgresPort}/${DATABASE_NAME}`,
    REDIS_URL: `redis://127.0.0.1:${p.redisPort}`,
    ...(p.redis === 'cluster' && { REDIS_CLUSTER_NODES: redisAddresses(p).join(',') }),
    TEMPORAL_ADDRESS: `127.0.0.1:${p.temporalPort}`,
    S3_ENDPOINT: s3Endpoint(p),
    S3_REGION,
    S3_BUCKET,
    S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY,
    // MinIO serves buckets as paths (http://host:port/bucket/key), not as subdomains.
    S3_FORCE_PATH_STYLE: 'true',
    S3_PUBLIC_BASE_URL: `${s3Endpoint(p)}/${S3_BUCKET}`,
    SMTP_URL: smtpUrl(p),
    // Not read by the app: the tests and tools read the caught mail through Mailpit's HTTP API.
    MAILPIT_URL: mailpitUrl(p),
    // Stripe: always the stack's stripe-mock, with the documented development key and signing secret
    // (set here, not left to the defaults, so a key exported in the caller's shell never reaches it).
    STRIPE_API_URL: stripeMockUrl(p),
    STRIPE_SECRET_KEY: DEVELOPMENT_STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: DEVELOPMENT_STRIPE_WEBHOOK_SECRET,
  };
}
