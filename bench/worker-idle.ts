/**
 * Waits until a process has gone quiet, so each bench run starts on an idle worker rather than on the
 * one before it's backlog: its CPU (Linux /proc) under a tenth of a core over a second.
 */
import fs from 'node:fs';
import { cpuSeconds } from './proc.js';

/** Seconds waited; gives up after `timeoutMs` (or at once where /proc is missing). */
export async function untilIdle(pid: number | undefined, timeoutMs = 120_000): Promise<number> {
  if (pid === undefined || !fs.existsSync(`/proc/${pid}/stat`)) return 0;
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const before = cpuSeconds(pid);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (cpuSeconds(pid) - before < 0.1) break;
  }
  return (Date.now() - started) / 1000;
}
