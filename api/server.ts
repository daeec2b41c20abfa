/**
 * Listening and graceful shutdown: on SIGTERM/SIGINT, /readyz turns 503, the server stops accepting,
 * in-flight requests finish (up to the shutdown timeout), then any connection still open (a
 * long-lived stream) is closed, and the dependencies are released.
 */
import http from 'node:http';
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

export async function listen(app: Express, host: string, port: number): Promise<http.Server> {
  const server = http.createServer(app);
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

export async function drain(server: http.Server, timeoutMs: number, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A keep-alive socket turns idle as soon as its last response is sent: close each as it does.
  const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => {
    logger.warn('shutdown timeout reached: closing the connections still open');
    server.closeAllConnections();
  }, timeoutMs);
  await closed;
  clearInterval(idleSweep);
  clearTimeout(deadline);
}
