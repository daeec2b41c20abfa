/**
 * A sale's live events, as this process fans them out to its watchers. During a flash sale's first
 * seconds every claim publishes a `stock` event: thousands a second, each to every watcher. Here the
 * `stock` events of one sale are coalesced, once per process however many watch, to at most one per
 * STOCK_INTERVAL_MS: the first goes at once, later ones wait for the interval's end, and only the newest
 * of those goes then (the trailing edge: the last state always reaches everyone). Every event carries
 * the whole counts, so a skipped one loses nothing. `sold_out`, `closed` and `cancelled` go at once,
 * and replace a `stock` still waiting (they are newer).
 */
import type { Closable, EventHub } from '../sse/hub.js';

export const STOCK_INTERVAL_MS = 100;

type Listener = (message: string) => void;

interface Channel {
  listeners: Set<Listener>;
  /** The hub subscription, shared by this channel's listeners. */
  subscribed: Promise<() => void>;
  lastSentMs: number;
  pending: string | null;
  timer: NodeJS.Timeout | null;
}

export class CoalescedSaleEvents implements Pick<EventHub, 'listen' | 'track' | 'untrack'> {
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly hub: Pick<EventHub, 'listen' | 'track' | 'untrack'>,
    private readonly intervalMs = STOCK_INTERVAL_MS,
  ) {}

  track(stream: Closable): void {
    this.hub.track(stream);
  }

  untrack(stream: Closable): void {
    this.hub.untrack(stream);
  }

  async listen(name: string, listener: Listener): Promise<() => void> {
    let channel = this.channels.get(name);
    if (!channel) {
      const created: Channel = {
        listeners: new Set(),
        subscribed: Promise.resolve(() => undefined),
        lastSentMs: 0,
        pending: null,
        timer: null,
      };
      created.subscribed = this.hub.listen(name, (message) => this.receive(created, message));
      this.channels.set(name, created);
      channel = created;
    }
    const entry = channel;
    entry.listeners.add(listener); // before any await: a watcher leaving meanwhile cannot drop the channel under it
    const stop = () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size > 0 || this.channels.get(name) !== entry) return;
      this.channels.delete(name);
      if (entry.timer) clearTimeout(entry.timer);
      entry.subscribed.then((unsubscribe) => unsubscribe()).catch(() => undefined);
    };
    try {
      await entry.subscribed;
    } catch (error) {
      if (this.channels.get(name) === entry) this.channels.delete(name);
      entry.listeners.delete(listener);
      throw error;
    }
    return stop;
  }

  private receive(channel: Channel, message: string): void {
    const now = Date.now();
    if (!message.startsWith('{"type":"stock"')) {
      // Newer than any stock event waiting, and carries the counts too.
      channel.pending = null;
      if (channel.timer) clearTimeout(channel.timer);
      channel.timer = null;
      this.emit(channel, message, now);
      return;
    }
    if (channel.timer === null && now - channel.lastSentMs >= this.intervalMs) {
      this.emit(channel, message, now);
      return;
    }
    channel.pending = message;
    channel.timer ??= setTimeout(
      () => {
        channel.timer = null;
        const pending = channel.pending;
        channel.pending = null;
        if (pending !== null) this.emit(channel, pending, Date.now());
      },
      channel.lastSentMs + this.intervalMs - now,
    );
  }

  private emit(channel: Channel, message: string, now: number): void {
    channel.lastSentMs = now;
    for (const listener of channel.listeners) listener(message);
  }
}
