/**
 * One Redis subscription per channel per process (an auction's events, a user's notifications), fanned
 * out to this process's SSE clients: a thousand watchers of one auction cost one subscription, not a
 * thousand.
 */
import type { Logger } from 'pino';
import type { RedisClient } from '../../config/redis.js';
import { onMessage, subscribe, unsubscribe } from '../../config/redis-pubsub.js';

type Listener = (message: string) => void;

/** What shutdown (or a subscriber reconnect) ends: a stream, closed with a retry hint. */
export interface Closable {
  close(retryMs: number): void;
}

/** How soon clients whose stream was ended by a subscriber reconnect should come back. */
const RESUME_AFTER_RECONNECT_MS = 200;

interface Channel {
  listeners: Set<Listener>;
  /** The (S)SUBSCRIBE every listener of the channel waits for, so none reads state before it holds. */
  subscribed: Promise<unknown>;
}

export class EventHub {
  private readonly channels = new Map<string, Channel>();
  private readonly streams = new Set<Closable>();
  private closedWithRetryMs: number | null = null;

  constructor(
    private readonly subscriber: RedisClient,
    private readonly logger: Logger,
  ) {
    onMessage(subscriber, (channel, message) => {
      for (const listener of this.channels.get(channel)?.listeners ?? []) listener(message);
    });
    // Pub/sub does not queue: whatever was published while the subscriber was reconnecting (Redis
    // restarted, a network blip) is gone. Each stream is ended with a retry hint instead, so its
    // client comes back with Last-Event-ID and the replay fills the gap exactly.
    let connectedBefore = subscriber.status === 'ready';
    subscriber.on('ready', () => {
      if (connectedBefore && this.streams.size > 0) {
        this.logger.warn(
          { streams: this.streams.size },
          'redis subscriber reconnected: streams resume from their last id',
        );
        this.endStreams(RESUME_AFTER_RECONNECT_MS);
      }
      connectedBefore = true;
    });
  }

  /** Listens on a channel until the returned function is called; resolves once subscribed. */
  async listen(name: string, listener: Listener): Promise<() => void> {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = { listeners: new Set(), subscribed: subscribe(this.subscriber, name) };
      this.channels.set(name, channel);
    }
    const entry = channel;
    // Added before any await: a watcher leaving meanwhile cannot unsubscribe the channel under it.
    entry.listeners.add(listener);
    const stop = () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size > 0 || this.channels.get(name) !== entry) return;
      this.channels.delete(name);
      unsubscribe(this.subscriber, name).catch((error: unknown) => this.logger.warn({ err: error }, 'unsubscribe'));
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
   * Streams register themselves (not a closure each: one fewer object per stream), so shutdown can end
   * them all with a retry hint; `untrack` when they end. Once the hub has been closed, a stream that
   * opens (on a keep-alive connection during the drain) is closed at once.
   */
  track(stream: Closable): void {
    if (this.closedWithRetryMs !== null) {
      stream.close(this.closedWithRetryMs);
      return;
    }
    this.streams.add(stream);
  }

  untrack(stream: Closable): void {
    this.streams.delete(stream);
  }

  get streamCount(): number {
    return this.streams.size;
  }

  /** Shutdown: ends every stream, and any opened from now on, with a retry hint. */
  closeAll(retryMs: number): void {
    this.closedWithRetryMs = retryMs;
    this.endStreams(retryMs);
  }

  /** Ends the streams open now; their clients come back with Last-Event-ID. */
  private endStreams(retryMs: number): void {
    for (const stream of [...this.streams]) stream.close(retryMs);
  }
}
