/**
 * The two routes a crowd hits at once: a bid on an auction and a claim on a flash sale. Express tries
 * every layer in turn until one matches, so these are mounted on the app itself right after the body
 * parser, ahead of the health routes, the guards' router and every feature router: a bid or a claim
 * never walks the rest, nor a nested router's own dispatch. Each runs its guards (api/security/guards.ts,
 * hotPathGuards), then its route; a refusal (SOLD_OUT, BID_TOO_LOW: most requests in a crowd) is
 * answered right here. bench/bid.bench.ts and bench/sale.bench.ts measure both against a bare floor.
 */
import type { Express, RequestHandler } from 'express';
import { answerRefusals } from './error-handler.js';
import type { HotGuard, HotPathGuards } from './security/guards.js';

export interface HotPathRoutes {
  /** POST /v1/auctions/:id/bids (api/auctions/routes.ts). */
  placeBid: RequestHandler;
  /** POST /v1/sales/:id/claims (api/sales/routes.ts). */
  claimUnits: RequestHandler;
}

/** Mounts both routes on `app`, wherever in its stack it is called. */
export function hotPath(guards: HotPathGuards, routes: HotPathRoutes): (app: Express) => void {
  return (app) => {
    app.post('/v1/auctions/:id/bids', guarded(guards.bids, routes.placeBid), answerRefusals);
    app.post('/v1/sales/:id/claims', guarded(guards.claims, routes.claimUnits), answerRefusals);
  };
}

/**
 * The guards and the route as one handler: each guard as express's own layer would cost a dispatch and
 * a promise per request, and most guards decide from memory without waiting (a lease, a cached token).
 * A refusal, thrown or rejected, reaches express as the handler's rejection.
 */
function guarded(guards: HotGuard[], route: RequestHandler): RequestHandler {
  return async (req, res, next) => {
    for (const guard of guards) {
      const pending = guard(req, res);
      if (pending) await pending;
    }
    await route(req, res, next);
  };
}
