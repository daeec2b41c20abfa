/** The webhook routes, all on the signed-in user's own webhooks. Thin: validate, call, answer. */
import { Router, type RequestHandler } from 'express';
import { pathIdOf } from '../auctions/ids.js';
import { userIdOf } from '../auth/require-user.js';
import { noStore } from '../auth/no-store.js';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, type WebhookDeps } from './webhooks.js';
import { createWebhookBody, deliveriesQuery } from './webhooks-schemas.js';

export function webhookRoutes(deps: WebhookDeps, requireUser: RequestHandler): Router {
  const router = Router();
  const body = createWebhookBody(deps.allowPrivateNetworks);

  router.post('/v1/users/me/webhooks', requireUser, async (req, res) => {
    // The answer holds the secret: no cache may keep it.
    noStore(res)
      .status(201)
      .json(await createWebhook(deps, userIdOf(res), body.parse(req.body)));
  });

  router.get('/v1/users/me/webhooks', requireUser, async (_req, res) => {
    res.json(await listWebhooks(deps, userIdOf(res)));
  });

  router.delete('/v1/users/me/webhooks/:id', requireUser, async (req, res) => {
    await deleteWebhook(deps, userIdOf(res), pathIdOf(req));
    res.status(204).end();
  });

  router.get('/v1/users/me/webhooks/:id/deliveries', requireUser, async (req, res) => {
    res.json(await listDeliveries(deps, userIdOf(res), pathIdOf(req), deliveriesQuery.parse(req.query)));
  });

  return router;
}
