/**
 * One Redis subscription per auction per process, fanned out to this process's SSE clients: a
 * thousand watchers of one auction cost one subscription, not a thousand.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

type Listener = (message: string) => void;

export class AuctionEventHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly closers = new Set<(retryMs: number) => void>();

  constructor(
    private readonly subscriber: Redis,
    private readonly logger: Logger,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      for (const listener of this.listeners.get(channel) ?? []) listener(message);
    });
  }

  /** Listens on a channel until the returned function is called. */
  async listen(channel: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await this.subscriber.subscribe(channel);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size > 0 || this.listeners.get(channel) !== set) return;
      this.listeners.delete(channel);
      this.subscriber.unsubscribe(channel).catch((error: unknown) => this.logger.warn({ err: error }, 'unsubscribe'));
    };
  }

  /** Streams register how to close themselves, so shutdown can end them all with a retry hint. */
  track(close: (retryMs: number) => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  get streamCount(): number {
    return this.closers.size;
  }

  closeAll(retryMs: number): void {
    for (const close of [...this.closers]) close(retryMs);
  }
}
