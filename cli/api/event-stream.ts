/**
 * A Server-Sent Events stream read over fetch, as a browser's EventSource reads it: events (`event:`,
 * `data:`, `id:` up to a blank line), comments (`: ping`) skipped, and on a dropped connection a
 * reconnect after a second with `Last-Event-ID`, from which the API resumes without gaps or repeats
 * (docs/api.md, "Live events"). The first connection failing is the caller's error at once (exit 4 or
 * the API's refusal); later ones are retried for a while, then given up as unreachable.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { refusalOf, UnreachableError } from '../errors.js';
import { fetchOrUnreachable } from './transport.js';

export interface StreamEvent {
  event: string;
  data: string;
  id: string | null;
}

const RECONNECT_DELAY_MS = 1000;
/** Reconnects in a row before the API counts as gone: about half a minute. */
const MAX_RECONNECTS = 30;

/** The events in one response body, in order. */
export async function* parseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  let buffer = '';
  let event = { event: 'message', data: [] as string[], id: null as string | null };
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line === '') {
        if (event.data.length > 0) yield { event: event.event, data: event.data.join('\n'), id: event.id };
        event = { event: 'message', data: [], id: event.id };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = value;
      else if (field === 'data') event.data.push(value);
      else if (field === 'id') event.id = value;
    }
  }
}

/** Follows `url` until the caller stops reading (return) or `signal` aborts. */
export async function* followEvents(api: string, url: string, signal: AbortSignal): AsyncGenerator<StreamEvent> {
  let lastEventId: string | null = null;
  for (let reconnects = 0; ;) {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId !== null) headers['last-event-id'] = lastEventId;
    let response: Response;
    try {
      response = await fetchOrUnreachable(api, new Request(url, { headers }), signal);
    } catch (error) {
      if (signal.aborted) return;
      if (lastEventId === null && reconnects === 0) throw error;
      if (!(error instanceof UnreachableError) || ++reconnects > MAX_RECONNECTS) throw error;
      await sleep(RECONNECT_DELAY_MS, undefined, { signal }).catch(() => undefined);
      continue;
    }
    if (!response.ok || !response.body) {
      const text = await response.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // not the error shape: the status says enough
      }
      throw refusalOf(response.status, body);
    }
    try {
      for await (const event of parseEvents(response.body)) {
        reconnects = 0;
        if (event.id !== null) lastEventId = event.id;
        yield event;
      }
    } catch (error) {
      if (signal.aborted) return;
      // The connection broke mid-stream (the API restarted, say): reconnect from the last id.
      if (!(error instanceof TypeError)) throw error;
    }
    if (signal.aborted) return;
    if (++reconnects > MAX_RECONNECTS) throw new UnreachableError(api, 'the event stream kept closing');
    await sleep(RECONNECT_DELAY_MS, undefined, { signal }).catch(() => undefined);
  }
}
