/**
 * Waits until a process has gone quiet, so each bench run starts on an idle worker rather than on the
 * one before it's backlog: its CPU (Linux /proc) under a tenth of a core over a second.
 */
import fs from 'node:fs';

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's times, on every common architecture. */
const TICKS_PER_SECOND = 100;

function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After the command name (in parentheses, which may hold spaces): state, then utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

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
