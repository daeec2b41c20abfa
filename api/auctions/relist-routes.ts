/** The relist route, apart from the auction routes: it needs the image bucket, which they do not. */
import { Router, type Request, type RequestHandler } from 'express';
import { userIdOf } from '../auth/require-user.js';
import { relistAuction, type RelistDeps } from './relist.js';
import { relistBody } from './schemas.js';

const auctionIdOf = (req: Request) => (typeof req.params.id === 'string' ? req.params.id : '');

export function relistRoutes(deps: RelistDeps, requireUser: RequestHandler): Router {
  const router = Router();

  router.post('/v1/auctions/:id/relist', requireUser, async (req, res) => {
    const dates = relistBody.parse(req.body);
    res.status(201).json(await relistAuction(deps, userIdOf(res), auctionIdOf(req), dates));
  });

  return router;
}
