/** Runs bench/bid-load.ts (the open-loop bid generator) in its own process and returns its figures. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export interface BidLoadResult {
  completed: number;
  elapsed: number;
  accepted: number;
  rejected: number;
  errors: number;
  p50: number;
  p99: number;
  /** [seq, epoch ms of its 201] for every accepted bid. */
  acks: [number, number][];
  /** The generator process's own CPU over the run, µs. */
  cpuMicros: number;
}

export interface BidLoadOptions {
  /** Requests per second; 0: flat out with `concurrency` in flight. */
  rate: number;
  seconds: number;
  concurrency: number;
  /** How far above the minimum a bid's maximum may be drawn (bench/bid-load.ts). */
  spread?: number;
  /** Called as the generator begins sending (after its process has started up). */
  onStart?: () => void;
  /** Maxima rising by a fixed step from `from`, so every bid is accepted (bench/bid-load.ts). */
  ladder?: { from: number; step: number };
}

/** What bench/bid-load.ts writes to stderr as its run begins. */
const STARTED_MARKER = 'bid-load: started';

const loadScript = fileURLToPath(new URL('./bid-load.ts', import.meta.url));

export async function runBidLoad(
  url: string,
  users: { header: string; value: string }[],
  { rate, seconds, concurrency, spread, onStart, ladder }: BidLoadOptions,
): Promise<BidLoadResult> {
  const spec = JSON.stringify({ url, users, rate, seconds, concurrency, spread, ladder });
  const running = promisify(execFile)(process.execPath, ['--import', 'tsx', loadScript, spec], {
    maxBuffer: 64 * 1024 * 1024,
  });
  let heard = '';
  running.child.stderr?.on('data', (chunk: Buffer) => {
    if (heard.includes(STARTED_MARKER)) return;
    heard += chunk.toString();
    if (heard.includes(STARTED_MARKER)) onStart?.();
  });
  const { stdout } = await running;
  return JSON.parse(stdout) as BidLoadResult;
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
};

export const median = (values: number[]) => percentile(values, 0.5);
