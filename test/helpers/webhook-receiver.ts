/**
 * A webhook receiver on 127.0.0.1 for tests: records every request (headers and the raw body, as a
 * receiver must verify it) and answers with whatever the test's handler says, in turn.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  at: number;
}

/** Answers one request: write to `res` (or never, to hang). */
export type Answer = (res: http.ServerResponse, request: Received) => void;

export const status =
  (code: number, body = '', headers: Record<string, string> = {}): Answer =>
  (res) =>
    res.writeHead(code, headers).end(body);

/** Never answers (the sender's timeout must cut it). */
export const hang: Answer = () => undefined;

export async function startReceiver(answers: Answer[] | ((n: number, request: Received) => Answer)) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
      received.push(request);
      const n = received.length - 1;
      const answer =
        typeof answers === 'function' ? answers(n, request) : (answers[Math.min(n, answers.length - 1)] ?? status(200));
      answer(res, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
