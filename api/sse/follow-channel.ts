/**
 * The life of a live stream that follows one pub/sub channel: heartbeats, shutdown tracking, and
 * cleanup when the client leaves, all registered before anything awaits (a client gone early leaks
 * nothing). Messages that arrive before the stream has caught up (its replay) are held, then delivered
 * in order by `release()`, so nothing between the replay and the live messages is skipped.
 *
 * A process may hold tens of thousands of these, so each keeps little: one `close` listener for all
 * its cleanup, the shared heartbeat, and the hub holding the stream itself rather than closures.
 */
import type { Response } from 'express';
import type { Heartbeat } from './heartbeat.js';
import type { EventHub } from './hub.js';
import type { SseStream } from './stream.js';

export interface FollowOptions {
  /** The hub itself, or what stands in front of it (api/sales/coalesced-events.ts). */
  hub: Pick<EventHub, 'listen' | 'track' | 'untrack'>;
  stream: SseStream;
  heartbeat: Heartbeat;
  channel: string;
  deliver: (message: string) => void;
}

/** Resolves once subscribed, with `release` to call after the replay; null when the client already left. */
export async function followChannel(
  res: Response,
  { hub, stream, heartbeat, channel, deliver }: FollowOptions,
): Promise<{ release: () => void } | null> {
  let held: string[] | null = [];
  let stopListening: (() => void) | null = null;
  let gone = false;
  res.on('close', () => {
    gone = true;
    heartbeat.delete(stream);
    hub.untrack(stream);
    stopListening?.();
  });
  heartbeat.add(stream);
  hub.track(stream);
  const stop = await hub.listen(channel, (message) => (held ? held.push(message) : deliver(message)));
  if (gone) {
    stop();
    return null;
  }
  stopListening = stop;
  return {
    release: () => {
      for (const message of held ?? []) deliver(message);
      held = null;
    },
  };
}
