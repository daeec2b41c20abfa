/** The relist route, apart from the auction routes: it needs the image bucket, which they do not. */
import { Router, type RequestHandler } from 'express';
import { pathIdOf } from './ids.js';
import { userIdOf } from '../auth/require-user.js';
import { relistAuction, type RelistDeps } from './relist.js';
import { relistBody } from './schemas.js';

export function relistRoutes(deps: RelistDeps, requireUser: RequestHandler): Router {
  const router = Router();

  router.post('/v1/auctions/:id/relist', requireUser, async (req, res) => {
    const dates = relistBody.parse(req.body);
    res.status(201).json(await relistAuction(deps, userIdOf(res), pathIdOf(req), dates));
  });

  return router;
}
