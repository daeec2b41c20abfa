/** The settlement routes: orders, payouts and second-chance offers. Thin: validate, call, answer. */
import { Router, type RequestHandler } from 'express';
import { pathIdOf } from '../auctions/ids.js';
import { userIdOf } from '../auth/require-user.js';
import { noStore } from '../auth/no-store.js';
import { rawBodyOf } from '../security/json-bodies.js';
import { startCheckout, type CheckoutDeps } from './checkout.js';
import { answerOffer, offerSecondChance, readOfferOf, type OfferDeps } from './offers.js';
import { listMyOrders, readOrderOf } from './orders.js';
import { listPayouts } from './payouts.js';
import { myOrdersQuery, payoutsQuery, secondChanceBody } from './schemas.js';
import { handleStripeWebhook, type StripeWebhookDeps } from './stripe-webhook.js';

export interface SettlementRouteDeps extends OfferDeps, CheckoutDeps, StripeWebhookDeps {
  minWindowSeconds: number;
}

export function settlementRoutes(deps: SettlementRouteDeps, requireUser: RequestHandler): Router {
  const router = Router();
  const offerBody = secondChanceBody(deps.minWindowSeconds);

  router.get('/v1/orders/:id', requireUser, async (req, res) => {
    res.json(await readOrderOf(deps.db, userIdOf(res), pathIdOf(req)));
  });

  router.post('/v1/orders/:id/checkout', requireUser, async (req, res) => {
    // A checkout URL is the buyer's alone: no shared cache may keep it.
    noStore(res)
      .status(201)
      .json(await startCheckout(deps, userIdOf(res), pathIdOf(req)));
  });

  router.post('/v1/payments/stripe/webhook', async (req, res) => {
    res.json(await handleStripeWebhook(deps, rawBodyOf(req), req.get('stripe-signature')));
  });

  router.get('/v1/users/me/orders', requireUser, async (req, res) => {
    res.json(await listMyOrders(deps.db, userIdOf(res), myOrdersQuery.parse(req.query)));
  });

  router.get('/v1/users/me/payouts', requireUser, async (req, res) => {
    res.json(await listPayouts(deps.db, userIdOf(res), payoutsQuery.parse(req.query)));
  });

  router.post('/v1/auctions/:id/second-chance', requireUser, async (req, res) => {
    res.status(201).json(await offerSecondChance(deps, userIdOf(res), pathIdOf(req), offerBody.parse(req.body)));
  });

  router.get('/v1/offers/:id', requireUser, async (req, res) => {
    res.json(await readOfferOf(deps.db, userIdOf(res), pathIdOf(req)));
  });

  router.post('/v1/offers/:id/accept', requireUser, async (req, res) => {
    res.json(await answerOffer(deps, userIdOf(res), pathIdOf(req), true));
  });

  router.post('/v1/offers/:id/decline', requireUser, async (req, res) => {
    res.json(await answerOffer(deps, userIdOf(res), pathIdOf(req), false));
  });

  return router;
}
