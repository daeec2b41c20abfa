/** The settlement routes (api/settlement/routes.ts) in the document. */
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { SETTLEMENT_REFUSALS } from '../../domain/settlement/workflow.js';
import { auctionIdParam } from '../auctions/ids.js';
import { offer, offerAnswer, order, orderPage, payoutPage } from '../settlement/responses.js';
import { myOrdersQuery, payoutsQuery, secondChanceBody } from '../settlement/schemas.js';
import {
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
        404: notFound('auction of yours'),
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
