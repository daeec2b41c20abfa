/** The express app, wired from its dependencies; main.ts supplies real ones, tests may pass their own. */
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { healthRoutes } from './health-routes.js';
import type { Metrics } from './metrics.js';
import type { DependencyCheck } from './readiness.js';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  readinessChecks: DependencyCheck[];
  readinessTimeoutMs: number;
  isShuttingDown: () => boolean;
}

/** JSON bodies in this API are small; anything larger is refused before it is parsed. */
export const MAX_BODY_BYTES = 16 * 1024;

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(pinoHttp({ logger: deps.logger, autoLogging: { ignore: (req) => req.url === '/healthz' } }));
  app.use(deps.metrics.observeRequests);
  app.use(express.json({ limit: MAX_BODY_BYTES }));

  app.use(
    healthRoutes({
      checks: deps.readinessChecks,
      timeoutMs: deps.readinessTimeoutMs,
      isShuttingDown: deps.isShuttingDown,
    }),
  );
  app.get('/metrics', deps.metrics.serve);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
