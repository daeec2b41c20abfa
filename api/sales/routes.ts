/** The sale routes: thin handlers that validate, call a use case, and answer. */
import { Router, type RequestHandler } from 'express';
import { pathIdOf } from '../auctions/ids.js';
import { idempotencyKey } from '../auctions/schemas.js';
import { userIdOf } from '../auth/require-user.js';
import { AppError } from '../errors.js';
import { issueChallenge, type ChallengePolicy } from './challenge.js';
import { claimUnits } from './claims.js';
import type { CoalescedSaleEvents } from './coalesced-events.js';
import { saleEventsHandler } from './events.js';
import { altchaHeader, cancelSaleBody, claimBody, createSaleBody, waitlistBody } from './schemas.js';
import { cancelSale, createSale, findSaleTerms, getSale, type SaleDeps } from './service.js';
import { joinWaitlist, leaveWaitlist } from './waitlist.js';

export interface SaleRouteOptions {
  requireUser: RequestHandler;
  challenges: ChallengePolicy;
  /** SALES_MIN_HOLD_SECONDS */
  minHoldSeconds: number;
  feed: CoalescedSaleEvents;
  sseHeartbeatMs: number;
}

/**
 * POST /v1/sales/:id/claims, behind its guards, which verify the user (api/hot-path.ts mounts it ahead
 * of every router).
 */
export function claimUnitsRoute(deps: SaleDeps, challenges: ChallengePolicy): RequestHandler {
  return async (req, res) => {
    const { quantity } = claimBody.parse(req.body);
    const key = req.get('idempotency-key');
    const challenge = req.get('x-altcha');
    const claimed = await claimUnits(deps, challenges, {
      saleId: pathIdOf(req),
      userId: userIdOf(res),
      quantity,
      idempotencyKey: key === undefined ? null : idempotencyKey.parse(key),
      challenge: challenge === undefined ? undefined : altchaHeader.parse(challenge),
    });
    res.status(201).json(claimed);
  };
}

export function saleRoutes(deps: SaleDeps, options: SaleRouteOptions): Router {
  const { requireUser, challenges } = options;
  const router = Router();

  const createBody = createSaleBody(options.minHoldSeconds);
  router.post('/v1/sales', requireUser, async (req, res) => {
    const body = createBody.parse(req.body);
    res.status(201).json(await createSale(deps, userIdOf(res), body));
  });

  router.get('/v1/sales/:id', async (req, res) => {
    res.json(await getSale(deps, pathIdOf(req)));
  });

  router.post('/v1/sales/:id/cancel', requireUser, async (req, res) => {
    const { reason } = cancelSaleBody.parse(req.body ?? {});
    res.json(await cancelSale(deps, userIdOf(res), pathIdOf(req), reason));
  });

  router.get('/v1/sales/:id/challenge', async (req, res) => {
    const terms = await findSaleTerms(deps, pathIdOf(req));
    if (!terms.requireChallenge) {
      throw new AppError(409, 'CHALLENGE_NOT_REQUIRED', 'This sale asks for no challenge: claim without one');
    }
    // A challenge is good once, for a few minutes: never from a cache.
    res.set('cache-control', 'no-store').json(await issueChallenge(challenges, terms.id));
  });

  router.post('/v1/sales/:id/waitlist', requireUser, async (req, res) => {
    const { quantity } = waitlistBody.parse(req.body);
    res.json(await joinWaitlist(deps, pathIdOf(req), userIdOf(res), quantity));
  });

  router.delete('/v1/sales/:id/waitlist', requireUser, async (req, res) => {
    await leaveWaitlist(deps, pathIdOf(req), userIdOf(res));
    res.status(204).end();
  });

  router.get('/v1/sales/:id/events', saleEventsHandler(deps, options.feed, options.sseHeartbeatMs));

  return router;
}
