/**
 * The promotion routes, under /v1/admin (so behind requireAdmin, which adminRoutes mounts on the prefix
 * before this router). Thin: validate, call, answer.
 */
import { Router } from 'express';
import { actorOf } from '../admin/require-admin.js';
import { pathIdOf } from '../auctions/ids.js';
import { createPromotionBody, deletePromotionQuery, updatePromotionBody } from './schemas.js';
import {
  createPromotion,
  deletePromotion,
  listPromotions,
  readPromotion,
  setPromotionStatus,
  type PromotionDeps,
} from './service.js';

export function promotionRoutes(deps: PromotionDeps): Router {
  const router = Router();

  router.post('/v1/admin/promotions', async (req, res) => {
    res.status(201).json(await createPromotion(deps, actorOf(res), createPromotionBody.parse(req.body)));
  });

  router.get('/v1/admin/promotions', async (_req, res) => {
    res.json(await listPromotions(deps));
  });

  router.get('/v1/admin/promotions/:id', async (req, res) => {
    res.json(await readPromotion(deps, pathIdOf(req)));
  });

  router.patch('/v1/admin/promotions/:id', async (req, res) => {
    const { status, reason } = updatePromotionBody.parse(req.body);
    res.json(await setPromotionStatus(deps, actorOf(res), pathIdOf(req), status, reason));
  });

  router.delete('/v1/admin/promotions/:id', async (req, res) => {
    const { reason } = deletePromotionQuery.parse(req.query);
    res.json(await deletePromotion(deps, actorOf(res), pathIdOf(req), reason));
  });

  return router;
}
