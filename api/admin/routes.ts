/**
 * The admin routes, all under /v1/admin and all behind requireAdmin (mounted on the prefix, so a route
 * added here later is guarded too): accounts (read, role, block, unblock), cancels of any auction or
 * sale, voids of a bidder's bids, the audit log, and the promoter's promotions (api/promotions/). Thin: validate, call, answer.
 */
import { Router, type RequestHandler } from 'express';
import { AUCTION_TASK_QUEUE } from '../../domain/temporal-names.js';
import { pathIdOf } from '../auctions/ids.js';
import { promotionRoutes } from '../promotions/routes.js';
import { listAuditLog } from './audit.js';
import { cancelAuctionAsAdmin, cancelSaleAsAdmin, type AdminCancelDeps } from './cancels.js';
import { actorOf } from './require-admin.js';
import { takeBackBids } from '../auctions/retractions.js';
import { adminCancelBody, auditQuery, blockBody, roleBody, unblockBody, voidBody } from './schemas.js';
import { blockUser, readModeratedUser, setRole, unblockUser, type AccountModerationDeps } from './users.js';

export type AdminDeps = AccountModerationDeps & AdminCancelDeps;

export const ADMIN_PREFIX = '/v1/admin';

export function adminRoutes(deps: AdminDeps, requireAdmin: RequestHandler): Router {
  const router = Router();
  router.use(ADMIN_PREFIX, requireAdmin);

  router.get('/v1/admin/users/:id', async (req, res) => {
    res.json(await readModeratedUser(deps, pathIdOf(req)));
  });

  router.put('/v1/admin/users/:id/role', async (req, res) => {
    res.json(await setRole(deps, actorOf(res), pathIdOf(req), roleBody.parse(req.body)));
  });

  router.post('/v1/admin/users/:id/block', async (req, res) => {
    const { reason } = blockBody.parse(req.body);
    res.json(await blockUser(deps, actorOf(res), pathIdOf(req), reason));
  });

  router.post('/v1/admin/users/:id/unblock', async (req, res) => {
    const { reason } = unblockBody.parse(req.body);
    res.json(await unblockUser(deps, actorOf(res), pathIdOf(req), reason));
  });

  router.post('/v1/admin/auctions/:id/cancel', async (req, res) => {
    const { reason } = adminCancelBody.parse(req.body);
    res.json(await cancelAuctionAsAdmin(deps, actorOf(res), pathIdOf(req), reason));
  });

  router.post('/v1/admin/auctions/:id/voids', async (req, res) => {
    const { bidderId, reason } = voidBody.parse(req.body);
    const actor = actorOf(res);
    const voided = await takeBackBids(deps.auctions, {
      auctionId: pathIdOf(req),
      bidderId,
      mode: 'void',
      reason,
      actorId: actor.actorId,
      requestId: actor.requestId ?? '',
    });
    res.status(201).json(voided);
  });

  router.post('/v1/admin/sales/:id/cancel', async (req, res) => {
    const { reason } = adminCancelBody.parse(req.body);
    res.json(await cancelSaleAsAdmin(deps, actorOf(res), pathIdOf(req), reason));
  });

  router.get('/v1/admin/audit', async (req, res) => {
    res.json(await listAuditLog(deps.db, auditQuery.parse(req.query)));
  });

  router.use(
    promotionRoutes({
      db: deps.db,
      temporal: deps.auctions.temporal,
      taskQueue: deps.auctions.taskQueue ?? AUCTION_TASK_QUEUE,
    }),
  );

  return router;
}
