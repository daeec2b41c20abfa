/**
 * Listening and graceful shutdown. On SIGTERM/SIGINT (api/run.ts): /readyz turns 503, the server
 * stops accepting connections, every response from then on carries `Connection: close` so keep-alive
 * clients stop reusing their sockets, in-flight requests finish (up to the shutdown timeout), then
 * any connection still open (a long-lived stream) is closed, and the dependencies are released.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';

export interface Lifecycle {
  isShuttingDown: () => boolean;
  beginShutdown: () => void;
}

export function createLifecycle(): Lifecycle {
  let shuttingDown = false;
  return {
    isShuttingDown: () => shuttingDown,
    beginShutdown: () => {
      shuttingDown = true;
    },
  };
}

/**
 * An HTTP server that knows its in-flight responses, so a drain can tell their clients to close the
 * connection. A keep-alive client that is not told reuses its socket for the next request, and if the
 * server closes that socket meanwhile, the request is reset without ever having been read.
 */
export class DrainableServer extends http.Server {
  private readonly inFlight = new Set<http.ServerResponse>();
  private draining = false;

  constructor(app: Express) {
    super();
    // Registered before the app, so it runs first even for responses the app sends synchronously.
    this.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => this.track(res));
    this.on('request', app);
  }

  private track(res: http.ServerResponse): void {
    if (this.draining) {
      res.setHeader('connection', 'close');
      return;
    }
    this.inFlight.add(res);
    res.once('close', () => this.inFlight.delete(res));
  }

  /**
   * Stops accepting connections; every response not yet started will close its connection after it.
   * Resolves once every connection has closed.
   */
  beginDrain(): Promise<void> {
    this.draining = true;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    this.inFlight.clear();
    // net.Server#close, not http.Server#close: the latter also destroys idle keep-alive sockets at
    // once, racing a client that is just sending its next request on one (see drain()).
    return new Promise((resolve) => net.Server.prototype.close.call(this, () => resolve()));
  }
}

export async function listen(app: Express, host: string, port: number): Promise<DrainableServer> {
  const server = new DrainableServer(app);
  // Longer than a typical load balancer's idle timeout, so it is the balancer that closes idle sockets.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

export const portOf = (server: http.Server) => (server.address() as AddressInfo).port;

/**
 * Drains the server: new connections are refused at once; responses close their connections; sockets
 * idle at the start get `idleGraceMs` to carry one more request (answered, with `Connection: close`)
 * before idle sockets are closed, so a keep-alive client caught between two requests is answered
 * rather than reset; after `timeoutMs` whatever is still open is closed.
 */
export async function drain(
  server: DrainableServer,
  timeoutMs: number,
  logger: Logger,
  idleGraceMs = 0,
): Promise<void> {
  const closed = server.beginDrain();
  let idleSweep: NodeJS.Timeout | undefined;
  const sweepStart = setTimeout(
    () => {
      // A socket that went idle after a `Connection: close` response is being closed already; what is
      // left idle now is a client that has not used its socket since the drain began.
      server.closeIdleConnections();
      idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    },
    Math.min(idleGraceMs, timeoutMs),
  );
  const deadline = setTimeout(() => {
    logger.warn('shutdown timeout reached: closing the connections still open');
    server.closeAllConnections();
  }, timeoutMs);
  await closed;
  clearTimeout(sweepStart);
  clearInterval(idleSweep);
  clearTimeout(deadline);
}
