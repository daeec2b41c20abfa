/** The auction routes: thin handlers that validate, call a use case, and answer. */
import { Router, type RequestHandler } from 'express';
import { pathIdOf } from './ids.js';
import { userIdOf } from '../auth/require-user.js';
import type { ImagesOf } from '../images/responses.js';
import type { EventHub } from '../sse/hub.js';
import { listBids, listOwnBids, placeBid } from './bids.js';
import { eventsHandler } from './events.js';
import { listMyAuctions } from './my-auctions.js';
import {
  bidBody,
  bidsQuery,
  cancelBody,
  createAuctionBody,
  idempotencyKey,
  listAuctionsQuery,
  pageQuery,
  retractionBody,
} from './schemas.js';
import { takeBackBids } from './retractions.js';
import { aliasName } from '../../domain/bidder-alias.js';
import { bidderIdsShownTo, seesEveryBidder } from '../../domain/bidder-privacy.js';
import { AppError } from '../errors.js';
import { answerJson } from '../json-answer.js';
import { requestIdOf } from '../request-id.js';
import { listBidders } from './bidders.js';
import { withBidderIdsShown } from './presenter.js';
import {
  aliasOf,
  cancelAuction,
  createAuction,
  findAuctionRow,
  getAuctionWithRelists,
  type AuctionDeps,
} from './service.js';
import { viewerOf } from './viewer.js';

/**
 * POST /v1/auctions/:id/bids, behind its guards, which verify the user (api/hot-path.ts mounts it ahead
 * of every router).
 */
export function placeBidRoute(deps: AuctionDeps): RequestHandler {
  return async (req, res) => {
    const { amount, buyNow } = bidBody.parse(req.body);
    const header = req.get('idempotency-key');
    const key = header === undefined ? null : idempotencyKey.parse(header);
    const placed = await placeBid(deps, {
      auctionId: pathIdOf(req),
      bidderId: userIdOf(res),
      amount,
      buyNow,
      idempotencyKey: key,
    });
    answerJson(res, 201, placed);
  };
}

export function auctionRoutes(
  deps: AuctionDeps,
  hub: EventHub,
  requireUser: RequestHandler,
  /** For the reads that show a viewer more of the bidders: a token is optional, but checked when sent. */
  optionalUser: RequestHandler,
  sseHeartbeatMs: number,
  imagesOf: ImagesOf,
  /** How many users watch an auction (api/notifications/watchlist.ts). */
  watchersOf: (auctionId: string) => Promise<number>,
): Router {
  const router = Router();

  const createBody = createAuctionBody(deps.terms);
  router.post('/v1/auctions', requireUser, async (req, res) => {
    const body = createBody.parse(req.body);
    res.status(201).json(await createAuction(deps, userIdOf(res), body));
  });

  router.get('/v1/auctions', async (req, res) => {
    // Already JSON: the read model assembles it from its items' cached JSON (api/discovery/item-json.ts).
    res.type('json').send(await deps.discovery.list(listAuctionsQuery.parse(req.query)));
  });

  router.get('/v1/auctions/:id', optionalUser, async (req, res) => {
    const auction = await getAuctionWithRelists(deps, pathIdOf(req)); // first: it answers 404 for a bad id
    const viewer = await viewerOf(res, deps.isAdmin, auction.sellerId);
    const [images, watchers, viewerAlias] = await Promise.all([
      imagesOf(auction.id),
      watchersOf(auction.id),
      viewer.userId === null ? null : aliasOf(deps, auction.id, viewer.userId),
    ]);
    const shown = withBidderIdsShown(auction, bidderIdsShownTo(viewer, auction.sellerId));
    res.json({ ...shown, images, watchers, viewerAlias: aliasName(viewerAlias) });
  });

  // Who bids, by account: the seller's (and admins') view of their auction's bidders.
  router.get('/v1/auctions/:id/bidders', requireUser, async (req, res) => {
    const row = await findAuctionRow(deps.db, pathIdOf(req));
    if (!seesEveryBidder(await viewerOf(res, deps.isAdmin, row.sellerId), row.sellerId)) {
      throw new AppError(403, 'NOT_SELLER', "Only the auction's seller (or an admin) can see its bidders");
    }
    res.json(await listBidders(deps, row.id));
  });

  router.post('/v1/auctions/:id/retractions', requireUser, async (req, res) => {
    const { reason } = retractionBody.parse(req.body);
    const retraction = await takeBackBids(deps, {
      auctionId: pathIdOf(req),
      bidderId: userIdOf(res),
      mode: 'retract',
      reason,
      actorId: userIdOf(res),
      requestId: requestIdOf(req, res),
    });
    res.status(201).json(retraction);
  });

  router.post('/v1/auctions/:id/cancel', requireUser, async (req, res) => {
    const { reason } = cancelBody.parse(req.body);
    res.json(await cancelAuction(deps, userIdOf(res), pathIdOf(req), reason));
  });

  // A seller's own auctions, all of them (the listing keeps ended ones for a while only).
  router.get('/v1/users/me/auctions', requireUser, async (req, res) => {
    res.json(await listMyAuctions(deps, userIdOf(res), pageQuery.parse(req.query)));
  });

  // Public (a token shows the bidder ids its user may see); with `bidder` it lists the caller's own bids,
  // so it needs their token (any other value: a 400 after it).
  const ownBidsNeedUser: RequestHandler = (req, res, next) =>
    req.query.bidder === undefined ? optionalUser(req, res, next) : requireUser(req, res, next);
  router.get('/v1/auctions/:id/bids', ownBidsNeedUser, async (req, res) => {
    const query = bidsQuery.parse(req.query);
    const shownTo = async (sellerId: string) => bidderIdsShownTo(await viewerOf(res, deps.isAdmin, sellerId), sellerId);
    res.json(
      query.bidder === 'me'
        ? await listOwnBids(deps.db, pathIdOf(req), userIdOf(res), query)
        : await listBids(deps.db, pathIdOf(req), shownTo, query),
    );
  });

  router.get('/v1/auctions/:id/events', eventsHandler(deps, hub, sseHeartbeatMs));

  return router;
}
