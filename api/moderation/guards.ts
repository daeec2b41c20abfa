/**
 * What a blocked account may not do, in one place: bid and claim (checked on the hot path, from memory,
 * right after the token: api/hot-path.ts), and everything that sells or buys anew (the router below,
 * mounted ahead of the feature routers on the same paths). Reading, paying existing orders, cancelling
 * one's own auctions and sales, retracting one's bids, leaving a waitlist and declining an offer stay open.
 */
import { Router, type RequestHandler } from 'express';
import { ACCOUNT_BLOCKED_MESSAGE } from '../../domain/moderation/blocks.js';
import { userIdOf } from '../auth/require-user.js';
import { AppError } from '../errors.js';
import type { HotGuard } from '../security/guards.js';
import type { AccountBlocks } from './account-blocks.js';

export const accountBlocked = () => new AppError(403, 'ACCOUNT_BLOCKED', ACCOUNT_BLOCKED_MESSAGE);

/** For the hot routes' chains, after the guard that verified the token: decided at once, from memory. */
export function refuseBlockedOnHotPath(blocks: Pick<AccountBlocks, 'isBlocked'>): HotGuard {
  return (_req, res) => {
    if (blocks.isBlocked(userIdOf(res))) throw accountBlocked();
  };
}

/**
 * The other routes a blocked account may not use, each refused (403 ACCOUNT_BLOCKED) after its token is
 * verified (401 as the route itself would answer) and before its body is read; anyone else goes on to
 * the route (`next('router')`).
 */
export function blockedAccountGuards(blocks: Pick<AccountBlocks, 'isBlocked'>, requireUser: RequestHandler): Router {
  const refuseBlocked: RequestHandler = (_req, res, next) => {
    if (blocks.isBlocked(userIdOf(res))) throw accountBlocked();
    next('router');
  };
  const router = Router();
  for (const path of [
    '/v1/auctions', // selling: a new auction
    '/v1/auctions/:id/relist',
    '/v1/auctions/:id/second-chance',
    '/v1/sales', // a new flash sale
    '/v1/sales/:id/waitlist', // buying: a place that turns into a hold
    '/v1/offers/:id/accept', // buying: a second-chance offer taken makes an order
  ]) {
    router.post(path, requireUser, refuseBlocked);
  }
  return router;
}
