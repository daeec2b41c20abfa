/** Runs autocannon in a separate process against a URL and returns its figures. */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

interface AutocannonJson {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

/** `rate`: requests per second from all connections together (autocannon -R); flat out without it. */
export async function load(
  url: string,
  { connections = 64, seconds = 5, rate }: { connections?: number; seconds?: number; rate?: number } = {},
): Promise<LoadResult> {
  const pace = rate === undefined ? [] : ['-R', String(rate)];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [autocannonBin, '--json', '-c', String(connections), '-d', String(seconds), ...pace, url],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout) as AutocannonJson;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export const rssMiB = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

export interface MeteredLoadResult extends LoadResult {
  requests: number;
  /** The generator's own CPU over the run, µs. */
  cpuMicros: number;
}

/**
 * Flat out, as load() is, through bench/autocannon-run.ts, which also reports the generator's CPU;
 * `onStart` is called as it begins sending, so a bench can read other processes' CPU over the run alone.
 */
export async function meteredLoad(
  url: string,
  { connections = 64, seconds = 5, onStart }: { connections?: number; seconds?: number; onStart?: () => void } = {},
): Promise<MeteredLoadResult> {
  const script = fileURLToPath(new URL('./autocannon-run.ts', import.meta.url));
  const running = promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', script, JSON.stringify({ url, connections, seconds })],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  let heard = '';
  running.child.stderr?.on('data', (chunk: Buffer) => {
    if (heard.includes('autocannon-run: started')) return;
    heard += chunk.toString();
    if (heard.includes('autocannon-run: started')) onStart?.();
  });
  return JSON.parse((await running).stdout) as MeteredLoadResult;
}
