/**
 * CPU time of the processes a bench run involves, read from outside them: a process and its children
 * (an API cluster's primary and workers) from Linux's /proc, Redis from its own INFO, and the machine's
 * busy time from /proc/stat. All in µs, read before and after a run and subtracted.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { RedisClient } from '../config/redis.js';

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds one process (every thread) has used so far; throws once it is gone. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name, in parentheses, may hold spaces: fields are counted after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond; // utime, stime
}

/** The same in µs; 0 once the process is gone. */
export function processCpuMicros(pid: number): number {
  try {
    return cpuSeconds(pid) * 1e6;
  } catch {
    return 0;
  }
}

/** A process's children (an API cluster's workers). */
export function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A process and its direct children, summed: read the same tree before and after a run. */
export function treeCpuMicros(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + processCpuMicros(pid), 0);
}

export interface RedisCpu {
  /** Every thread of redis-server (I/O threads, background saves and frees). */
  total: number;
  /** The thread that runs the commands and scripts, one at a time: where a shard saturates. */
  mainThread: number | null;
}

/** Redis's own account of its CPU (INFO cpu), in µs. */
export async function redisCpuMicros(redis: RedisClient): Promise<RedisCpu> {
  const info = await redis.info('cpu');
  const field = (name: string) => {
    const match = new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info);
    return match ? Number(match[1]) * 1e6 : null;
  };
  const sys = field('used_cpu_sys') ?? 0;
  const user = field('used_cpu_user') ?? 0;
  const mainSys = field('used_cpu_sys_main_thread');
  const mainUser = field('used_cpu_user_main_thread');
  return { total: sys + user, mainThread: mainSys === null || mainUser === null ? null : mainSys + mainUser };
}

/** The machine's busy CPU time (every core, anything but idle and I/O wait), in µs. */
export function machineBusyMicros(): number {
  const [, ...values] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal: all but idle and iowait.
  const busy = [0, 1, 2, 5, 6, 7].reduce((sum, index) => sum + Number(values[index] ?? 0), 0);
  return (busy * 1e6) / ticksPerSecond;
}
