/**
 * The real API entry point (api/main.ts) as a child process, so a test can run several at once,
 * SIGKILL one, or SIGTERM one and watch it drain.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { adopt } from './children.js';

const entry = fileURLToPath(new URL('../../api/main.ts', import.meta.url));

export interface ApiProcess {
  url: string;
  port: number;
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port free right now: the OS picks it, we release it, the child binds it. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls /readyz until it answers 200 (all dependencies up), or fails after `timeoutMs`. */
export async function waitForReady(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/readyz`);
      await response.body?.cancel();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`API at ${url} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts api/main.ts on `port` (a free one by default) and waits until it is ready. Processes that
 * must accept each other's tokens need the same JWT_PRIVATE_KEY in `env`. `onStdout` gets its log lines.
 */
export async function spawnApi(
  env: Record<string, string>,
  port?: number,
  onStdout?: (chunk: string) => void,
): Promise<ApiProcess> {
  const chosen = port ?? (await freePort());
  const child = adopt(
    spawn(process.execPath, ['--import', 'tsx', entry], {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(chosen),
        ...env,
      },
      stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'inherit'],
    }),
  );
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => onStdout?.(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${chosen}`;
  await Promise.race([
    waitForReady(url),
    exited.then(({ code, signal }) => {
      throw new Error(`API process exited before it was ready (${code ?? signal})`);
    }),
  ]);
  return { url, port: chosen, process: child, exited };
}
