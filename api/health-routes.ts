/**
 * /healthz: the process is alive. /readyz: every dependency answers, and we are not shutting down;
 * a 503 names what is down, so a load balancer (and a person) knows why.
 */
import { Router, type Response } from 'express';
import { errorBody } from './errors.js';
import type { Liveness, Readiness } from './health-responses.js';
import { checkAll, type DependencyCheck } from './readiness.js';

export interface HealthOptions {
  checks: DependencyCheck[];
  timeoutMs: number;
  isShuttingDown: () => boolean;
}

export function healthRoutes({ checks, timeoutMs, isShuttingDown }: HealthOptions): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' } satisfies Liveness);
  });
  const shuttingDown = (res: Response) =>
    res.status(503).json(errorBody('SHUTTING_DOWN', 'This process is shutting down'));
  router.get('/readyz', async (_req, res) => {
    if (isShuttingDown()) return shuttingDown(res);
    const results = await checkAll(checks, timeoutMs);
    // Asked again: a probe whose checks ran across the start of a shutdown must not answer "ready".
    if (isShuttingDown()) return shuttingDown(res);
    const down = Object.keys(results).filter((name) => results[name]?.status === 'down');
    if (down.length === 0) {
      res.json({ status: 'ready', checks: results } satisfies Readiness);
      return;
    }
    res.status(503).json(errorBody('NOT_READY', `Unavailable: ${down.join(', ')}`, { down, checks: results }));
  });
  return router;
}
