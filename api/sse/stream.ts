/**
 * One Server-Sent Events response. A client that does not read fast enough is cut once its unsent
 * bytes pass a bound: it reconnects with Last-Event-ID and replays what it missed, and this process
 * never holds more than the bound for it.
 */
import type { Response } from 'express';

export const MAX_UNSENT_BYTES = 256 * 1024;

/**
 * An event as the wire carries it. Formatted apart from any stream, so an event every watcher gets
 * alike is formatted once and the same string written to each (api/auctions/live-frames.ts).
 */
export function formatEvent(event: string, data: unknown, id?: number): string {
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return `event: ${event}\n${idLine}data: ${JSON.stringify(data)}\n\n`;
}

export class SseStream {
  private open = true;

  constructor(private readonly res: Response) {
    // writeHead, not express's set: headers given here go straight to the wire instead of being kept
    // (an object and an array per header) for the stream's whole life.
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // proxies such as nginx must not buffer the stream
    });
    res.flushHeaders();
    res.on('close', () => {
      this.open = false;
    });
  }

  get isOpen(): boolean {
    return this.open;
  }

  send(event: string, data: unknown, id?: number): void {
    this.write(formatEvent(event, data, id));
  }

  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  /**
   * Ends the stream, telling the client when to come back, and closes the connection: at shutdown
   * the client must reconnect on a new connection (to another process), not on this idle socket.
   */
  close(retryMs: number): void {
    if (!this.open) return;
    const socket = this.res.socket;
    this.res.end(`retry: ${retryMs}\n\n`, () => socket?.end());
    this.open = false;
  }

  /**
   * Writes events already formatted (formatEvent), one or several. A Buffer written to many streams is
   * encoded once, where a string would be measured and encoded again for each.
   */
  write(chunk: string | Buffer): void {
    if (!this.open) return;
    if (this.res.writableLength > MAX_UNSENT_BYTES) {
      this.open = false;
      this.res.destroy();
      return;
    }
    this.res.write(chunk);
  }
}
