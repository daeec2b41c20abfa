/**
 * The life of a live stream that follows one pub/sub channel: heartbeats, shutdown tracking, and
 * cleanup when the client leaves, all registered before anything awaits (a client gone early leaks
 * nothing). Messages that arrive before the stream has caught up (its replay) are held, then delivered
 * in order by `release()`, so nothing between the replay and the live messages is skipped.
 */
import type { Response } from 'express';
import type { EventHub } from './hub.js';
import type { SseStream } from './stream.js';

export interface FollowOptions {
  /** The hub itself, or what stands in front of it (api/sales/coalesced-events.ts). */
  hub: Pick<EventHub, 'listen' | 'track'>;
  stream: SseStream;
  heartbeatMs: number;
  channel: string;
  deliver: (message: string) => void;
}

/** Resolves once subscribed, with `release` to call after the replay; null when the client already left. */
export async function followChannel(
  res: Response,
  { hub, stream, heartbeatMs, channel, deliver }: FollowOptions,
): Promise<{ release: () => void } | null> {
  let held: string[] | null = [];
  const cleanups: (() => void)[] = [];
  let gone = false;
  res.on('close', () => {
    gone = true;
    for (const cleanup of cleanups) cleanup();
  });
  const heartbeat = setInterval(() => stream.comment('ping'), heartbeatMs);
  cleanups.push(
    () => clearInterval(heartbeat),
    hub.track((retryMs) => stream.close(retryMs)),
  );
  const stopListening = await hub.listen(channel, (message) => (held ? held.push(message) : deliver(message)));
  if (gone) {
    stopListening();
    return null;
  }
  cleanups.push(stopListening);
  return {
    release: () => {
      for (const message of held ?? []) deliver(message);
      held = null;
    },
  };
}
