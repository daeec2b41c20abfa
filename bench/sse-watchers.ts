/**
 * The watchers of bench/sse-fanout.bench.ts: many Server-Sent Events streams held by one cheap client,
 * run as its own process (forked, driven over IPC) so it never shares the server's event loop. Each
 * watcher is a raw TCP socket with a hand-written HTTP/1.1 GET: no EventSource, no HTTP client, just
 * enough parsing to see the `snapshot` that says a stream is live and the id of each `bid` event.
 * For every bid seq it keeps how many watchers got it and when the first and the last did, in
 * wall-clock ms with sub-ms precision (performance.timeOrigin + now), the clock the driver's 201s use.
 */
import net from 'node:net';

export type WatcherCommand =
  | { type: 'open'; host: string; port: number; path: string; count: number; localAddresses: string[] }
  | { type: 'report' }
  | { type: 'reset' }
  | { type: 'close' };

export interface OpenedReport {
  type: 'opened';
  /** Streams that reached their snapshot (live), in this process, all steps so far. */
  live: number;
  /** This step's streams that never did, by why: an HTTP status, a socket error, a timeout. */
  failed: Record<string, number>;
}

export interface SeqReport {
  type: 'report';
  live: number;
  /** Live streams that have since ended (the server cut them). */
  dropped: number;
  /** [seq, watchers that got it, first receive, last receive] */
  seqs: [number, number, number, number][];
}

/** A stream that shows no snapshot within this is counted as failed. */
const OPEN_TIMEOUT_MS = 60_000;
/** Connections being opened at once by this process: a burst beyond the listen backlog only drops SYNs. */
const OPENING_AT_ONCE = 200;
const BID_MARKER = 'event: bid\nid: ';

const now = () => performance.timeOrigin + performance.now();
const sockets = new Set<net.Socket>();
const received = new Map<number, { count: number; first: number; last: number }>();
let live = 0;
let dropped = 0;

function record(seq: number, at: number): void {
  const entry = received.get(seq);
  if (entry) {
    entry.count++;
    entry.last = at;
  } else received.set(seq, { count: 1, first: at, last: at });
}

/** Opens one stream; resolves with null once it is live, or why it is not. */
function openOne(host: string, port: number, path: string, localAddress: string): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, localAddress });
    socket.setNoDelay(true);
    socket.setEncoding('latin1'); // ids and markers are ASCII; no UTF-8 decoding per chunk
    let isLive = false;
    let sawStatus = false;
    let settled = false;
    let buffer = '';
    const settle = (failure: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (failure !== null) socket.destroy();
      resolve(failure);
    };
    const timer = setTimeout(() => settle('timeout'), OPEN_TIMEOUT_MS);
    socket.once('connect', () => {
      sockets.add(socket);
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    socket.on('data', (chunk: string) => {
      const at = now();
      if (!sawStatus) {
        sawStatus = true;
        if (!chunk.startsWith('HTTP/1.1 200')) return settle(`HTTP ${chunk.slice(9, 12)}`);
      }
      buffer += chunk;
      // Events end with a blank line. The chunked framing (size lines, CRLFs) sits between events,
      // never inside one (the server writes an event at a time), so markers are searched, not parsed.
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const bid = block.indexOf(BID_MARKER);
        if (bid >= 0) record(parseInt(block.slice(bid + BID_MARKER.length), 10), at);
        else if (!isLive && block.includes('event: snapshot')) {
          isLive = true;
          live++;
          settle(null);
        }
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => settle(error.code ?? 'error'));
    socket.on('close', () => {
      sockets.delete(socket);
      settle('closed');
      if (isLive) {
        live--;
        dropped++;
      }
    });
  });
}

async function open(command: Extract<WatcherCommand, { type: 'open' }>): Promise<OpenedReport> {
  const failed: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(OPENING_AT_ONCE, command.count) }, async () => {
      while (next < command.count) {
        const i = next++;
        const localAddress = command.localAddresses[i % command.localAddresses.length]!;
        const failure = await openOne(command.host, command.port, command.path, localAddress);
        if (failure !== null) failed[failure] = (failed[failure] ?? 0) + 1;
      }
    }),
  );
  return { type: 'opened', live, failed };
}

function close(): void {
  for (const socket of sockets) {
    socket.removeAllListeners('close'); // closed by us: not a watcher the server dropped
    socket.destroy();
  }
  sockets.clear();
  live = 0;
  dropped = 0;
  received.clear();
}

process.on('message', (command: WatcherCommand) => {
  const reply = (message: OpenedReport | SeqReport | { type: 'closed' } | { type: 'reset' }) => process.send!(message);
  if (command.type === 'open') void open(command).then(reply);
  else if (command.type === 'report') {
    const seqs = [...received].map(([seq, { count, first, last }]): SeqReport['seqs'][number] => [
      seq,
      count,
      first,
      last,
    ]);
    reply({ type: 'report', live, dropped, seqs });
  } else if (command.type === 'reset') {
    received.clear();
    reply({ type: 'reset' });
  } else {
    close();
    reply({ type: 'closed' });
  }
});
process.on('disconnect', () => process.exit(0));
