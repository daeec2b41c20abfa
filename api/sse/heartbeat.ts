/**
 * Comments (`: ping`) that keep idle streams alive through proxies that drop silent connections. One
 * timer beats for every stream of an interval, rather than one timer per stream: at tens of thousands
 * of watchers, a timer, its closure and its context each were a measurable share of a stream's memory.
 * A stream may get its first beat sooner than the interval after it opens; beats then come at the
 * interval.
 */
import type { SseStream } from './stream.js';

export class Heartbeat {
  private readonly streams = new Set<SseStream>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs: number) {}

  add(stream: SseStream): void {
    this.streams.add(stream);
    this.timer ??= setInterval(() => this.beat(), this.intervalMs);
  }

  /** The timer stops with the last stream, so an idle process (or a test's) holds none. */
  delete(stream: SseStream): void {
    this.streams.delete(stream);
    if (this.streams.size > 0 || this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
  }

  private beat(): void {
    for (const stream of this.streams) stream.comment('ping');
  }
}
