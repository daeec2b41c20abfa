/** The real worker entry point (worker/main.ts) as a child process, so a test can SIGKILL it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { adopt } from './children.js';
import { testConfig } from './config.js';

const entry = fileURLToPath(new URL('../../worker/main.ts', import.meta.url));

export interface WorkerProcess {
  process: ChildProcess;
  exited: Promise<void>;
}

export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = adopt(
    spawn(process.execPath, ['--import', 'tsx', entry], {
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  return { process: child, exited: new Promise((resolve) => child.once('exit', () => resolve())) };
}

/** What a worker process needs to run against one test database, on one task queue. */
export function workerEnvFor(databaseUrl: string, taskQueue: string): Record<string, string> {
  const config = testConfig();
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: config.REDIS_URL,
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: taskQueue,
  };
}

/**
 * SIGTERM, as a deploy stops a worker: resolves with its exit code once it has drained, or with null
 * if it still runs after `timeoutMs` (it is then SIGKILLed, so a test fails on its assertion, not its timeout).
 */
export async function stopWorker(worker: WorkerProcess, timeoutMs: number): Promise<number | null> {
  worker.process.kill('SIGTERM');
  const exited = await Promise.race([
    worker.exited.then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs)),
  ]);
  if (exited) return worker.process.exitCode;
  worker.process.kill('SIGKILL');
  await worker.exited;
  return null;
}
