/**
 * A client that holds one keep-alive connection and reuses it, as a load balancer or a browser does,
 * and reports exactly how each request ended: a complete response (with its Connection header), a
 * refused connection (nothing was sent), or a reset (the request was lost on the way).
 */
import http from 'node:http';

export type Outcome =
  | { kind: 'response'; status: number; connection: string | undefined; body: Record<string, unknown> | null }
  | { kind: 'refused' }
  | { kind: 'reset'; error: string };

export interface KeepAliveClient {
  send: (method: string, url: string, init?: { token?: string; body?: unknown }) => Promise<Outcome>;
  close: () => void;
}

export function keepAliveClient(): KeepAliveClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    send: (method, url, init = {}) =>
      new Promise((resolve) => {
        const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
        const request = http.request(url, {
          method,
          agent,
          headers: {
            ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        });
        request.on('error', (error: NodeJS.ErrnoException) =>
          resolve(error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'reset', error: String(error) }),
        );
        request.on('response', (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('error', (error) => resolve({ kind: 'reset', error: String(error) }));
          response.on('end', () => {
            if (!response.complete) return resolve({ kind: 'reset', error: 'response cut short' });
            resolve({
              kind: 'response',
              status: response.statusCode ?? 0,
              connection: response.headers.connection,
              body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
            });
          });
        });
        request.end(payload);
      }),
    close: () => agent.destroy(),
  };
}

/**
 * Reads a response as raw text as it arrives (an SSE stream, say); `ended` resolves once the
 * connection closes, telling whether the server had ended the response properly first.
 */
export function readToEnd(url: string) {
  let text = '';
  const ended = new Promise<{ text: string; complete: boolean }>((resolve, reject) => {
    http
      .get(url, { headers: { accept: 'text/event-stream' } }, (response) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('close', () => resolve({ text, complete: response.complete }));
      })
      .on('error', reject);
  });
  return { ended, received: () => text };
}
