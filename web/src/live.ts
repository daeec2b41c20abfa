/**
 * Live data for the pages: an EventSource on one of the API's SSE streams, and a ticking clock for
 * countdowns. EventSource reconnects by itself and sends Last-Event-ID, and the API resumes exactly
 * from there, so a page only applies events in order and never has to re-read what it missed.
 */
import { useEffect, useState } from 'preact/hooks';

export type Handlers = Record<string, (data: unknown, lastEventId: string) => void>;

/** Opens `url` while the component is mounted (and `url` is not null); each named event goes to its handler. */
export function useEventStream(url: string | null, handlers: Handlers): void {
  // The handlers change on every render; the stream must not. They are read through this box.
  const [box] = useState<{ current: Handlers }>({ current: handlers });
  box.current = handlers;
  useEffect(() => {
    if (url === null) return;
    const source = new EventSource(url);
    const listeners = Object.keys(box.current).map((name) => {
      const listener = (event: MessageEvent<string>) => box.current[name]?.(JSON.parse(event.data), event.lastEventId);
      source.addEventListener(name, listener);
      return listener;
    });
    return () => {
      listeners.length = 0;
      source.close();
    };
  }, [url, box]);
}

/** The current time, re-rendering every `everyMs` while mounted: for countdowns. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
