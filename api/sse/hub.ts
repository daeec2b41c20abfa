/**
 * One Redis subscription per auction per process, fanned out to this process's SSE clients: a
 * thousand watchers of one auction cost one subscription, not a thousand.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

type Listener = (message: string) => void;

interface Channel {
  listeners: Set<Listener>;
  /** The SUBSCRIBE every listener of the channel waits for, so none reads state before it holds. */
  subscribed: Promise<unknown>;
}

export class AuctionEventHub {
  private readonly channels = new Map<string, Channel>();
  private readonly closers = new Set<(retryMs: number) => void>();
  private closedWithRetryMs: number | null = null;

  constructor(
    private readonly subscriber: Redis,
    private readonly logger: Logger,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      for (const listener of this.channels.get(channel)?.listeners ?? []) listener(message);
    });
  }

  /** Listens on a channel until the returned function is called; resolves once subscribed. */
  async listen(name: string, listener: Listener): Promise<() => void> {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = { listeners: new Set(), subscribed: this.subscriber.subscribe(name) };
      this.channels.set(name, channel);
    }
    const entry = channel;
    // Added before any await: a watcher leaving meanwhile cannot unsubscribe the channel under it.
    entry.listeners.add(listener);
    const stop = () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size > 0 || this.channels.get(name) !== entry) return;
      this.channels.delete(name);
      this.subscriber.unsubscribe(name).catch((error: unknown) => this.logger.warn({ err: error }, 'unsubscribe'));
    };
    try {
      await entry.subscribed;
    } catch (error) {
      if (this.channels.get(name) === entry) this.channels.delete(name); // the next watcher subscribes anew
      entry.listeners.delete(listener);
      throw error;
    }
    return stop;
  }

  /**
   * Streams register how to close themselves, so shutdown can end them all with a retry hint. Once
   * the hub has been closed, a stream that opens (on a keep-alive connection during the drain) is
   * closed at once.
   */
  track(close: (retryMs: number) => void): () => void {
    if (this.closedWithRetryMs !== null) {
      close(this.closedWithRetryMs);
      return () => undefined;
    }
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  get streamCount(): number {
    return this.closers.size;
  }

  closeAll(retryMs: number): void {
    this.closedWithRetryMs = retryMs;
    for (const close of [...this.closers]) close(retryMs);
  }
}
