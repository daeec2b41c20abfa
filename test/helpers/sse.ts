/** Reads a Server-Sent Events stream over real HTTP and keeps every event it sees. */
export interface SseEvent {
  event: string;
  id: string | null;
  data: unknown;
}

/** One `\n\n`-terminated block of a stream as an event; null for comments and retry-only blocks. */
export function parseSseBlock(block: string): SseEvent | null {
  const fields = Object.fromEntries(
    block
      .split('\n')
      .filter((line) => !line.startsWith(':') && line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
  ) as Record<string, string>;
  if (fields.data === undefined) return null;
  return { event: fields.event ?? 'message', id: fields.id ?? null, data: JSON.parse(fields.data) };
}

/**
 * Reads events off a stream body as they arrive, until the stream ends or `onEvent` answers false.
 * Resolves true when `onEvent` stopped it, false when the stream ended.
 */
export async function readSseEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: SseEvent) => boolean,
): Promise<boolean> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = parseSseBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event && !onEvent(event)) return true;
    }
  }
  return false;
}

export function watchEvents(url: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  const controller = new AbortController();
  const done = (async () => {
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
    await readSseEvents(response.body, (event) => {
      events.push(event);
      return true;
    });
  })().catch((error: unknown) => {
    if (!(error instanceof Error && error.name === 'AbortError')) throw error;
  });
  return {
    events,
    /** Resolves when the server ends the stream. */
    ended: done,
    /** Resolves once an event of that type has arrived (or rejects after the timeout). */
    async waitFor(event: string, timeoutMs = 20_000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find((e) => e.event === event);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no ${event} event within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: async () => {
      controller.abort();
      await done;
    },
  };
}
