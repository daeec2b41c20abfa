/**
 * The driver's side of bench/sse-watchers.ts: a few watcher processes (one alone would spend a whole
 * core reading tens of thousands of sockets), streams shared out among them, their counts summed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { adopt } from '../test/helpers/children.js';
import type { OpenedReport, SeqReport, WatcherCommand } from './sse-watchers.js';

const script = fileURLToPath(new URL('./sse-watchers.ts', import.meta.url));

export interface StreamTarget {
  host: string;
  port: number;
  path: string;
  /** Source addresses the sockets are spread over: each gives its own ~28,000 ephemeral ports. */
  localAddresses: string[];
}

/** Per bid seq, over every watcher: how many got it and when the first and the last did. */
export interface Delivery {
  count: number;
  first: number;
  last: number;
}

export class WatcherPool {
  private readonly children: ChildProcess[];
  private readonly held: number[];

  constructor(processes: number) {
    this.children = Array.from({ length: processes }, () =>
      adopt(fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })),
    );
    this.held = this.children.map(() => 0);
  }

  get pids(): number[] {
    return this.children.map((child) => child.pid!);
  }

  /** Opens streams until `total` are held (all steps so far included); returns how many are live and why others are not. */
  async openUntil(target: StreamTarget, total: number): Promise<{ live: number; failed: Record<string, number> }> {
    const reports = await Promise.all(
      this.children.map((child, i) => {
        // Shared out evenly; the first processes take the remainder.
        const share = Math.floor(total / this.children.length) + (i < total % this.children.length ? 1 : 0);
        const count = Math.max(0, share - this.held[i]!);
        this.held[i] = Math.max(share, this.held[i]!);
        // Each process its own source addresses' ports: the sockets of one address never collide across processes.
        const localAddresses = target.localAddresses.filter((_, j) => j % this.children.length === i);
        return ask<OpenedReport>(child, {
          type: 'open',
          ...target,
          localAddresses: localAddresses.length > 0 ? localAddresses : target.localAddresses,
          count,
        });
      }),
    );
    const failed: Record<string, number> = {};
    for (const report of reports) {
      for (const [why, n] of Object.entries(report.failed)) failed[why] = (failed[why] ?? 0) + n;
    }
    return { live: sum(reports.map((report) => report.live)), failed };
  }

  /** What every watcher has received since the last reset. */
  async deliveries(): Promise<{ live: number; dropped: number; bySeq: Map<number, Delivery> }> {
    const reports = await Promise.all(this.children.map((child) => ask<SeqReport>(child, { type: 'report' })));
    const bySeq = new Map<number, Delivery>();
    for (const report of reports) {
      for (const [seq, count, first, last] of report.seqs) {
        const entry = bySeq.get(seq);
        if (!entry) bySeq.set(seq, { count, first, last });
        else {
          entry.count += count;
          entry.first = Math.min(entry.first, first);
          entry.last = Math.max(entry.last, last);
        }
      }
    }
    return {
      live: sum(reports.map((report) => report.live)),
      dropped: sum(reports.map((report) => report.dropped)),
      bySeq,
    };
  }

  async reset(): Promise<void> {
    await Promise.all(this.children.map((child) => ask(child, { type: 'reset' })));
  }

  /** Closes every stream (the processes stay, for the next target). */
  async closeAll(): Promise<void> {
    await Promise.all(this.children.map((child) => ask(child, { type: 'close' })));
    this.held.fill(0);
  }

  stop(): void {
    for (const child of this.children) child.disconnect();
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** One command, its one answer: each process handles its commands in order, one at a time here. */
function ask<T>(child: ChildProcess, command: WatcherCommand): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = () => reject(new Error(`watcher process ${child.pid} exited`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as T);
    });
    child.send(command);
  });
}
