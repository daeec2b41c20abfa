/**
 * The signed-in user's own lists and preferences around notifications: the watchlist, the auctions
 * they bid on, and which notifications reach them where. Thin handlers: validate, call, answer.
 */
import { Router, type Request, type RequestHandler } from 'express';
import { userIdOf } from '../auth/require-user.js';
import { pageQuery } from '../auctions/schemas.js';
import type { AuctionDeps } from '../auctions/service.js';
import { listMyBids } from './my-bids.js';
import { myBidsQuery, notificationSettingsBody } from './schemas.js';
import { getNotificationSettings, putNotificationSettings } from './settings.js';
import { listWatchlist, unwatch, watch } from './watchlist.js';

export type NotificationDeps = Pick<AuctionDeps, 'db' | 'store' | 'isAdmin'>;

/** The :auctionId segment; anything but one string is no auction id (and so a 404 later). */
const auctionIdOf = (req: Request) => (typeof req.params.auctionId === 'string' ? req.params.auctionId : '');

export function notificationRoutes(deps: NotificationDeps, requireUser: RequestHandler): Router {
  const router = Router();

  router.put('/v1/users/me/watchlist/:auctionId', requireUser, async (req, res) => {
    await watch(deps.db, userIdOf(res), auctionIdOf(req));
    res.status(204).end();
  });

  router.delete('/v1/users/me/watchlist/:auctionId', requireUser, async (req, res) => {
    await unwatch(deps.db, userIdOf(res), auctionIdOf(req));
    res.status(204).end();
  });

  router.get('/v1/users/me/watchlist', requireUser, async (req, res) => {
    res.json(await listWatchlist(deps, userIdOf(res), pageQuery.parse(req.query)));
  });

  router.get('/v1/users/me/bids', requireUser, async (req, res) => {
    res.json(await listMyBids(deps, userIdOf(res), myBidsQuery.parse(req.query)));
  });

  router.get('/v1/users/me/notification-settings', requireUser, async (_req, res) => {
    res.json(await getNotificationSettings(deps.db, userIdOf(res)));
  });

  router.put('/v1/users/me/notification-settings', requireUser, async (req, res) => {
    const body = notificationSettingsBody.parse(req.body);
    res.json(await putNotificationSettings(deps.db, userIdOf(res), body));
  });

  return router;
}
