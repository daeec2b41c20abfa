/** The express app, wired from its dependencies; main.ts supplies real ones, tests may pass their own. */
import express, { type Express, type Router } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { healthRoutes } from './health-routes.js';
import type { Metrics } from './metrics.js';
import { keepRawBody, requireJsonBodies } from './security/json-bodies.js';
import type { DependencyCheck } from './readiness.js';
import { answerOptions, methodNotAllowed } from './route-table.js';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  /** False when METRICS_PORT serves them apart from the API. */
  serveMetrics: boolean;
  readinessChecks: DependencyCheck[];
  readinessTimeoutMs: number;
  isShuttingDown: () => boolean;
  /** Express's `trust proxy` (config TRUST_PROXY): whose X-Forwarded-For gives the client's address. */
  trustProxy: false | number | string;
  /** Mounts bids and claims (hot-path.ts) on the app right after the body parser, before anything else. */
  mountHotPath: (app: Express) => void;
  /** The feature routers (accounts, auctions, ...), mounted in order. */
  routers: Router[];
}

/**
 * Anything larger is refused before it is parsed. The largest valid body, an auction with a
 * 5,000-character description and a 200-character title, is ~31 KB when a client escapes every
 * character as \uXXXX (as Python's json does by default for non-ASCII): it must fit.
 */
export const MAX_BODY_BYTES = 64 * 1024;

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  // Access logs are debug-level: at thousands of bids a second they would cost a quarter of a bare
  // route's throughput (docs/local-stack.md). Below debug the middleware is not installed at all, as
  // it costs a child logger per request even when it writes nothing; server errors are still logged
  // by the error handler.
  if (deps.logger.isLevelEnabled('debug')) {
    app.use(
      pinoHttp({
        logger: deps.logger,
        customLogLevel: () => 'debug',
        autoLogging: { ignore: (req) => req.url === '/healthz' },
      }),
    );
  }
  app.use(deps.metrics.observeRequests);
  app.use(requireJsonBodies, express.json({ limit: MAX_BODY_BYTES, verify: keepRawBody }));
  // Before any router: a router answers OPTIONS itself, with its own methods only.
  app.use(answerOptions(app));
  deps.mountHotPath(app);

  app.use(
    healthRoutes({
      checks: deps.readinessChecks,
      timeoutMs: deps.readinessTimeoutMs,
      isShuttingDown: deps.isShuttingDown,
    }),
  );
  if (deps.serveMetrics) app.get('/metrics', deps.metrics.serve);
  for (const router of deps.routers) app.use(router);

  app.use(methodNotAllowed(app));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
