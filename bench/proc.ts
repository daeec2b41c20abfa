/**
 * What Linux's /proc tells about another process (its CPU time and resident memory) and about the open
 * files a process may hold: benches read the process under test from outside, so the figures are its
 * own and not the driver's.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export { cpuSeconds } from './cpu.js';

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return Number(kib ?? NaN) * 1024;
}

/** The soft and hard limits on open files of a process. */
export function openFileLimits(pid: number | 'self' = 'self'): { soft: number; hard: number } {
  const line = /^Max open files\s+(\S+)\s+(\S+)/m.exec(fs.readFileSync(`/proc/${pid}/limits`, 'utf8'));
  const value = (text: string | undefined) => (text === 'unlimited' ? Infinity : Number(text));
  return { soft: value(line?.[1]), hard: value(line?.[2]) };
}

/**
 * Raises this process's limit on open files to at least `wanted` (both soft and hard, so the children
 * it starts from now on inherit it), with util-linux's prlimit: Node has no setrlimit of its own.
 * Raising the hard limit takes root (CAP_SYS_RESOURCE). Returns the limit in force afterwards.
 */
export function raiseOpenFileLimit(wanted: number): number {
  const { soft, hard } = openFileLimits();
  if (soft >= wanted) return soft;
  const keptHard = hard === Infinity ? 'unlimited' : String(hard);
  tryPrlimit(hard >= wanted ? `${wanted}:${keptHard}` : `${wanted}:${wanted}`);
  return openFileLimits().soft;
}

function tryPrlimit(limits: string): void {
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${limits}`], { stdio: 'ignore' });
  } catch {
    // Not root, or no prlimit: the caller reads the limit in force and says what it means.
  }
}
