/** The settlement routes (api/settlement/routes.ts) in the document. */
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { SETTLEMENT_REFUSALS } from '../../domain/settlement/workflow.js';
import { auctionIdParam } from '../auctions/ids.js';
import { checkout, offer, offerAnswer, order, orderPage, payoutPage } from '../settlement/responses.js';
import { bodyErrorCodes } from '../error-handler.js';
import { myOrdersQuery, payoutsQuery, secondChanceBody } from '../settlement/schemas.js';
import {
  accountBlocked,
  accountBlockedText,
  bearer,
  bodyRefusals,
  errorResponse,
  json,
  jsonBody,
  notFound,
  parameterRefusal,
  unauthenticated,
} from './parts.js';

const tags = ['Orders'];
const bodyRefusalCodes = ['VALIDATION', ...bodyErrorCodes(400)];
const idParam = (what: string) => z.object({ id: auctionIdParam.meta({ description: `The ${what} id (a UUID).` }) });

const offerRefused = errorResponse(
  'The offer is no longer open (answered, expired, or the settlement moved on).',
  [SETTLEMENT_REFUSALS.offerNotOpen, SETTLEMENT_REFUSALS.notYourOffer],
  { status: z.string().optional() },
);

export const settlementPaths: ZodOpenApiPathsObject = {
  '/v1/orders/{id}': {
    get: {
      operationId: 'getOrder',
      summary: 'An order: yours to pay, or for your lot',
      tags,
      security: bearer,
      requestParams: { path: idParam('order') },
      responses: {
        200: json('The order.', order),
        401: unauthenticated,
        404: notFound('order of yours (as buyer or seller)'),
      },
    },
  },
  '/v1/orders/{id}/checkout': {
    post: {
      operationId: 'checkoutOrder',
      summary: 'Pay for your order: a Stripe Checkout page',
      description:
        'Answers the URL of a Stripe Checkout Session for the order’s total. A session still open is handed out ' +
        'again. The session expires at payBy (at least 30 minutes and at most 24 hours ahead, as Stripe ' +
        'allows); a payment that arrives after payBy is refunded. The order shows `paid` once Stripe confirms.',
      tags,
      security: bearer,
      requestParams: { path: idParam('order') },
      responses: {
        201: {
          ...json('The checkout page.', checkout),
          headers: z.object({ 'Cache-Control': z.literal('no-store') }),
        },
        401: unauthenticated,
        403: errorResponse('You are the seller: only the buyer pays.', ['NOT_BUYER']),
        404: notFound('order of yours'),
        409: errorResponse(
          'The order is not awaiting payment (paid, expired, cancelled, refunded).',
          ['ORDER_NOT_PAYABLE'],
          {
            status: z.string(),
          },
        ),
        502: errorResponse('Stripe refused to make the session.', ['CHECKOUT_FAILED']),
      },
    },
  },
  '/v1/payments/stripe/webhook': {
    post: {
      operationId: 'stripeWebhook',
      summary: 'Stripe’s events (for Stripe to call)',
      description:
        'The raw body must carry a valid `Stripe-Signature` (STRIPE_WEBHOOK_SECRET, at most 5 minutes old). ' +
        'Handles checkout.session.completed, checkout.session.async_payment_succeeded / _failed and ' +
        'charge.refunded; other types are answered 200 and ignored. Each event id is applied once.',
      tags: ['Payments'],
      requestParams: { header: z.object({ 'stripe-signature': z.string().meta({ description: 't=…,v1=…' }) }) },
      requestBody: jsonBody(
        z.looseObject({ id: z.string(), type: z.string() }).meta({ description: 'A Stripe event.' }),
      ),
      responses: {
        200: json('Applied, a repeat, or a type not handled.', z.object({ outcome: z.string() })),
        ...bodyRefusals,
        400: errorResponse('No signature, or one that does not match the body or is too old.', [
          'INVALID_SIGNATURE',
          ...bodyRefusalCodes,
        ]),
      },
    },
  },
  '/v1/users/me/orders': {
    get: {
      operationId: 'listMyOrders',
      summary: 'Your orders, newest first: as buyer (default) or as seller',
      tags,
      security: bearer,
      requestParams: { query: myOrdersQuery },
      responses: {
        200: json('One page.', orderPage),
        400: parameterRefusal('INVALID_CURSOR'),
        401: unauthenticated,
      },
    },
  },
  '/v1/users/me/payouts': {
    get: {
      operationId: 'listMyPayouts',
      summary: 'What your paid lots owe you (hammer price less the house’s fee), newest first',
      description:
        'A payout is recorded, pending, when its order is paid. Moving the money to you is not built yet ' +
        '(docs/settlement.md, "Payouts").',
      tags,
      security: bearer,
      requestParams: { query: payoutsQuery },
      responses: {
        200: json('One page.', payoutPage),
        400: parameterRefusal('INVALID_CURSOR'),
        401: unauthenticated,
      },
    },
  },
  '/v1/auctions/{id}/second-chance': {
    post: {
      operationId: 'offerSecondChance',
      summary: 'Offer your unpaid lot to the next bidder, at that bidder’s own maximum',
      description:
        'After the winner’s order expired unpaid (or an earlier offer was declined or expired), the lot goes ' +
        'to the next distinct bidder by maximum bid (ties: who bid it first). One order or offer at a time.',
      tags,
      security: bearer,
      requestParams: { path: idParam('auction') },
      requestBody: { ...jsonBody(secondChanceBody(3600)), required: false },
      responses: {
        201: json('The offer, sent to the bidder.', offer),
        ...bodyRefusals,
        401: unauthenticated,
        403: errorResponse(`You are not its seller (\`NOT_SELLER\`), or ${accountBlockedText}.`, [
          'NOT_SELLER',
          'ACCOUNT_BLOCKED',
        ]),
        404: notFound('auction'),
        409: errorResponse('No offer can be made now, or nobody is left to make it to.', [
          SETTLEMENT_REFUSALS.notAwaitingSeller,
          SETTLEMENT_REFUSALS.noCandidate,
        ]),
      },
    },
  },
  '/v1/offers/{id}': {
    get: {
      operationId: 'getOffer',
      summary: 'A second-chance offer: made to you, or by you',
      tags,
      security: bearer,
      requestParams: { path: idParam('offer') },
      responses: {
        200: json('The offer.', offer),
        401: unauthenticated,
        404: notFound('offer to you or by you'),
      },
    },
  },
  '/v1/offers/{id}/accept': {
    post: {
      operationId: 'acceptOffer',
      summary: 'Accept an offer made to you: an order with its own payment window',
      tags,
      security: bearer,
      requestParams: { path: idParam('offer') },
      responses: {
        200: json('Accepted: the offer and your new order.', offerAnswer),
        401: unauthenticated,
        403: accountBlocked,
        404: notFound('offer to you'),
        409: offerRefused,
      },
    },
  },
  '/v1/offers/{id}/decline': {
    post: {
      operationId: 'declineOffer',
      summary: 'Decline an offer made to you',
      tags,
      security: bearer,
      requestParams: { path: idParam('offer') },
      responses: {
        200: json('Declined.', offerAnswer),
        401: unauthenticated,
        404: notFound('offer to you'),
        409: offerRefused,
      },
    },
  },
};
