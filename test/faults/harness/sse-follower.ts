/**
 * An SSE client that behaves like a browser's EventSource: when the stream breaks (an API process
 * died, a drain cut it) it reconnects with Last-Event-ID and carries on, until it sees the end.
 */
import { readSseEvents, type SseEvent } from '../../helpers/sse.js';

export interface Follower {
  events: SseEvent[];
  reconnects: () => number;
  /** Resolves once a `closed` event (or a snapshot of a finished auction) arrived. */
  finished: Promise<void>;
  stop: () => void;
}

const RECONNECT_MS = 250;

export function followEvents(url: () => string, auctionId: string): Follower {
  const events: SseEvent[] = [];
  let reconnects = -1;
  let stopped = false;
  let lastId: string | null = null;
  const controller = new AbortController();
  const isEnd = (event: SseEvent) =>
    event.event === 'closed' ||
    event.event === 'cancelled' ||
    (event.event === 'snapshot' && ['closed', 'cancelled'].includes((event.data as { status: string }).status));

  const readOnce = async (): Promise<boolean> => {
    reconnects += 1;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastId !== null) headers['last-event-id'] = lastId;
    const response = await fetch(`${url()}/v1/auctions/${auctionId}/events`, { headers, signal: controller.signal });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return false;
    }
    return readSseEvents(response.body, (event) => {
      events.push(event);
      if (event.id !== null) lastId = event.id;
      return !isEnd(event);
    });
  };

  const finished = (async () => {
    while (!stopped) {
      try {
        if (await readOnce()) return;
      } catch (error) {
        if (stopped) return;
        if (!(error instanceof Error)) throw error;
        // A refused or reset connection: the process is down or restarting; try again.
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  })();

  return {
    events,
    reconnects: () => Math.max(0, reconnects),
    finished,
    stop: () => {
      stopped = true;
      controller.abort();
    },
  };
}
