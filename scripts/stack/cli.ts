/**
 * The stack supervisor behind `npm start`, `npm test` and `npm run bench`.
 *   start        Postgres, Redis, Temporal (UI on :8233), S3 (MinIO), Mail (Mailpit, UI on :8025), Stripe
 *                (stripe-mock on :12111), worker and API; Ctrl-C stops all of it.
 *   test [files] a fresh test stack, then node's test runner over test/ and, if it passed, the end-to-end
 *                tests in Chromium (test/e2e/); or the given files (*.e2e.ts and test/e2e go to Playwright).
 *   bench [name] a fresh test stack, then bench/<name>.ts (all benches when no name is given).
 *   faults       the fault scenarios (test/faults/*.fault.ts); they start, kill and restart the services
 *                themselves, so the supervisor only wipes their state folder and holds the lock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApi, startWorker } from './app.js';
import { onChildSpawned, type Child } from './child.js';
import { AlreadyRunning, SupervisorLock } from './lock.js';
import { startMailpit } from './mailpit.js';
import { startPostgres } from './postgres.js';
import {
  profiles,
  redisAddresses,
  repoRoot,
  S3_ACCESS_KEY_ID,
  S3_BUCKET,
  S3_SECRET_ACCESS_KEY,
  serviceEnv,
  stripeMockUrl,
  type Profile,
} from './profiles.js';
import { startRedis } from './redis.js';
import { startRedisCluster } from './redis-cluster.js';
import { startS3 } from './s3.js';
import { stopService } from './stop.js';
import { startStripeMock } from './stripe-mock.js';
import { startTemporal } from './temporal.js';
import { ServiceFailed } from './wait.js';
import { buildWebApp } from './web.js';

const say = (line: string) => process.stdout.write(`[gavel] ${line}\n`);

class Stack {
  private readonly children: Child[] = [];
  private stopping: Promise<void> | null = null;

  constructor(
    readonly profile: Profile,
    private readonly lock: SupervisorLock,
  ) {
    onChildSpawned((child) => {
      this.children.push(child);
      lock.recordChild(child.process.pid);
    });
  }

  /** Starts independent services side by side and waits for all of them to be ready. */
  async startAll(starts: Promise<Child | Child[]>[]): Promise<void> {
    const results = await Promise.allSettled(starts);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      // Reverse spawn order: the API and worker before Temporal, databases last.
      for (const child of [...this.children].reverse()) {
        await stopService(child);
      }
      this.lock.release();
    })();
    return this.stopping;
  }

  /** Resolves with the first child that exits on its own. */
  firstExit(): Promise<Child> {
    return Promise.race(this.children.map((child) => child.exited.then(() => child)));
  }
}

async function bringUpServices(stack: Stack): Promise<void> {
  const p = stack.profile;
  if (p.fresh) fs.rmSync(p.stateDir, { recursive: true, force: true, maxRetries: 3 });
  fs.mkdirSync(p.logDir, { recursive: true });
  const redis = p.redis === 'cluster' ? 'Redis Cluster' : 'Redis';
  say(
    `starting Postgres :${p.postgresPort}, ${redis} ${redisAddresses(p).join(' ')}, Temporal :${p.temporalPort}, S3 (MinIO) :${p.s3Port}, Mail (Mailpit) SMTP :${p.smtpPort} HTTP :${p.mailpitHttpPort}, Stripe (stripe-mock) :${p.stripeMockPort} (logs: ${rel(p.logDir)})`,
  );
  const startsRedis = p.redis === 'cluster' ? startRedisCluster(p) : startRedis(p);
  await stack.startAll([
    startPostgres(p),
    startsRedis,
    startTemporal(p),
    startS3(p),
    startMailpit(p),
    startStripeMock(p),
  ]);
}

const rel = (file: string) => path.relative(process.cwd(), file) || '.';

let runner: ChildProcess | null = null;

function runToCompletion(argv: string[], env: Record<string, string>): Promise<number> {
  const [file, ...args] = argv;
  const child = spawn(file!, args, { stdio: 'inherit', cwd: repoRoot, env: { ...process.env, ...env } });
  runner = child;
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      runner = null;
      resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1));
    }),
  );
}

/** Test and bench runs: a terminal's Ctrl-C reaches the runner itself; other signals are passed on. Either way the stack is stopped. */
function stopOnSignals(stack: Stack): void {
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      runner?.kill(signal);
      void stack.stop().then(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
}

function findFiles(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(suffix) && !file.includes('node_modules'))
    .map((file) => path.join(dir, file))
    .sort();
}

async function start(stack: Stack): Promise<number> {
  const apiPort = Number(process.env.PORT ?? 3000);
  let shuttingDown = false;
  const shutdown = (why: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say(`${why}: stopping (API, worker, stripe-mock, Mailpit, S3, Temporal, Redis, Postgres)...`);
    void stack.stop().then(() => {
      say('stopped');
      process.exit(0);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));

  say('building the web app');
  await Promise.all([bringUpServices(stack), buildWebApp()]);
  say('starting the worker and the API');
  await stack.startAll([startWorker(stack.profile), startApi(stack.profile, apiPort)]);
  const p = stack.profile;
  say(`ready:
    Web app      http://localhost:${apiPort}/
    API          http://localhost:${apiPort}/v1   (reference: http://localhost:${apiPort}/docs/; try: curl localhost:${apiPort}/readyz)
    Temporal UI  http://localhost:${p.temporalUiPort}
    Temporal     127.0.0.1:${p.temporalPort}   Postgres 127.0.0.1:${p.postgresPort}   Redis ${redisAddresses(p).join(' ')}
    S3 (MinIO)   http://127.0.0.1:${p.s3Port}   bucket ${S3_BUCKET}, key ${S3_ACCESS_KEY_ID} / ${S3_SECRET_ACCESS_KEY}
    Mail (Mailpit) http://localhost:${p.mailpitHttpPort}  (SMTP 127.0.0.1:${p.smtpPort}): where local mail arrives
    Stripe       ${stripeMockUrl(p)}   stripe-mock: Stripe's API with canned answers, any sk_test_ key
    logs         ${rel(p.logDir)}/
  Ctrl-C stops everything; data is kept in ${rel(p.stateDir)}/ (delete it to start over).`);
  const exited = await stack.firstExit();
  if (shuttingDown) return new Promise(() => undefined); // shutdown() exits the process
  say(`${exited.name} exited unexpectedly (${String(await exited.exited)}); see ${rel(exited.logFile)}`);
  await stack.stop();
  return 1;
}

/**
 * The tests and benches drive thousands of bids a second and sign up hundreds of users, all from
 * 127.0.0.1 with a few accounts each: production's limits would refuse them. The limits stay on, so the
 * limiter's Redis calls are part of what the benches measure; test/security-*.test.ts set low ones.
 * A variable set in the caller's environment wins (to bench with production's limits, say).
 */
const LOAD_LIMITS = unlessSet({
  RATE_LIMIT_BIDS_PER_USER: '1000000/1s',
  RATE_LIMIT_BIDS_PER_IP: '1000000/1s',
  RATE_LIMIT_CLAIMS_PER_USER: '1000000/1s',
  RATE_LIMIT_CLAIMS_PER_IP: '1000000/1s',
  RATE_LIMIT_SIGN_INS_PER_IP: '1000000/1s',
  RATE_LIMIT_SIGN_INS_PER_ACCOUNT: '1000000/1s',
  RATE_LIMIT_SIGN_UPS_PER_IP: '1000000/1s',
  SSE_MAX_STREAMS_PER_IP: '100000',
  SSE_MAX_STREAMS_PER_USER: '100000',
  IMAGE_UPLOADS_PER_USER: '1000000/1s',
  // Sign-in with SSO, refresh tokens
  RATE_LIMIT_SSO_PER_IP: '1000000/1s',
  RATE_LIMIT_REFRESH_PER_IP: '1000000/1s',
  // Discovery
  RATE_LIMIT_SEARCHES_PER_IP: '1000000/1s',
});

function unlessSet(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => process.env[name] === undefined));
}

/** The end-to-end tests (Playwright, in Chromium): files named *.e2e.ts under test/e2e/, or that folder. */
const E2E_DIR = 'test/e2e';
const isE2e = (file: string) => file.endsWith('.e2e.ts') || path.normalize(file).replace(/\/+$/, '') === E2E_DIR;

function runE2e(files: string[], env: Record<string, string>): Promise<number> {
  // The folder means all of them; a file is a filter Playwright matches against its test files.
  const filters = files.filter((file) => file.endsWith('.e2e.ts'));
  say(`running the end-to-end tests${filters.length > 0 ? ` (${filters.join(' ')})` : ''} in Chromium`);
  return runToCompletion(
    ['node', 'node_modules/@playwright/test/cli.js', 'test', '-c', `${E2E_DIR}/playwright.config.ts`, ...filters],
    env,
  );
}

/**
 * A full run (no files given): node's test runner over the *.test.ts files under test/, then, if it passed, the
 * end-to-end tests. Given files: node's runner over the ordinary ones, Playwright over the e2e ones.
 */
async function runTests(stack: Stack, files: string[]): Promise<number> {
  await Promise.all([bringUpServices(stack), buildWebApp()]);
  const e2e = files.filter(isE2e);
  const plain = files.filter((file) => !isE2e(file));
  const env = {
    ...serviceEnv(stack.profile),
    ...LOAD_LIMITS,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
  };
  if (files.length === 0 || plain.length > 0) {
    const targets = plain.length > 0 ? plain : findFiles('test', '.test.ts');
    say(`running ${targets.length} test file(s)`);
    const code = await runToCompletion(
      ['node', '--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=120000', ...targets],
      env,
    );
    if (code !== 0) return code;
  }
  if (files.length > 0 && e2e.length === 0) return 0;
  return runE2e(e2e, env);
}

async function runFaults(stack: Stack, files: string[]): Promise<number> {
  const p = stack.profile;
  fs.rmSync(p.stateDir, { recursive: true, force: true, maxRetries: 3 });
  const targets = files.length > 0 ? files : findFiles('test/faults', '.fault.ts');
  say(`running ${targets.length} fault scenario file(s) (logs: ${rel(p.logDir)})`);
  return runToCompletion(
    ['node', '--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=600000', ...targets],
    // The scenarios' API processes inherit this environment: raised limits, as for the tests.
    { ...LOAD_LIMITS, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  );
}

async function runBenches(stack: Stack, names: string[]): Promise<number> {
  await bringUpServices(stack);
  const targets = names.length > 0 ? names.map((n) => `bench/${n}.bench.ts`) : findFiles('bench', '.bench.ts');
  const env = { ...serviceEnv(stack.profile), ...LOAD_LIMITS, LOG_LEVEL: 'warn' };
  for (const target of targets) {
    say(`bench ${target}`);
    const code = await runToCompletion(['node', '--import', 'tsx', target], env);
    if (code !== 0) return code;
  }
  return 0;
}

async function main(): Promise<number> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode !== 'start' && mode !== 'test' && mode !== 'bench' && mode !== 'faults') {
    process.stderr.write('usage: cli.ts start | test [files...] | bench [names...] | faults [files...]\n');
    return 2;
  }
  const profile = mode === 'start' ? profiles.dev : mode === 'faults' ? profiles.faults : profiles.test;
  const lock = SupervisorLock.acquire(profile.lockFile, mode === 'start' ? 'Gavel' : 'A test or bench run');
  const stack = new Stack(profile, lock);
  if (mode !== 'start') stopOnSignals(stack);
  try {
    if (mode === 'start') return await start(stack);
    if (mode === 'faults') return await runFaults(stack, rest);
    return mode === 'test' ? await runTests(stack, rest) : await runBenches(stack, rest);
  } catch (error) {
    if (error instanceof ServiceFailed) say(`error: ${error.message}`);
    else throw error;
    return 1;
  } finally {
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof AlreadyRunning) say(error.message);
    else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
