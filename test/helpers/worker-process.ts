/** The real worker entry point (worker/main.ts) as a child process, so a test can SIGKILL it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { adopt } from './children.js';

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
