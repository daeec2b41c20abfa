/**
 * The promotion routes (api/promotions/routes.ts) in the document: admin operations, as in admin-paths.ts.
 */
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { promotion, promotionDetail, promotionList } from '../promotions/responses.js';
import { createPromotionBody, deletePromotionQuery, updatePromotionBody } from '../promotions/schemas.js';
import { adminOperation, idParam } from './admin-paths.js';
import { bodyRefusals, json, jsonBody, notFound, parameterRefusal } from './parts.js';

const promotionPath = { path: idParam('promotion') };

export const promotionPaths: ZodOpenApiPathsObject = {
  '/v1/admin/promotions': {
    post: adminOperation({
      operationId: 'adminCreatePromotion',
      summary: "Define a promotion: on a schedule, double a random bidder's maximum at the house's expense",
      description:
        'Each firing (a Temporal Schedule, `every` with up to `jitter` of delay) picks a live auction in scope ' +
        'and, by the `strategy`, a bidder with a live maximum not doubled already, and doubles that maximum. ' +
        'If that bidder wins, the order carries a `houseSubsidy`: they never pay more than their own maximum ' +
        'would have cost them, and the seller is paid in full. A firing whose worst case would pass the rest ' +
        'of the `budget` does not double. Every firing is in the audit log and in GET /v1/admin/promotions/{id}.',
      requestBody: jsonBody(createPromotionBody),
      responses: {
        201: json('Defined, and its schedule started.', promotion),
        ...bodyRefusals,
        404: notFound('auction (scope.auctionId)'),
      },
    }),
    get: adminOperation({
      operationId: 'adminListPromotions',
      summary: 'The promotions not deleted, newest first, with what each has committed of its budget',
      responses: { 200: json('The promotions.', promotionList) },
    }),
  },
  '/v1/admin/promotions/{id}': {
    get: adminOperation({
      operationId: 'adminGetPromotion',
      summary: 'A promotion, its next firing and its latest firings (each with the seed that reproduces its choice)',
      requestParams: promotionPath,
      responses: { 200: json('The promotion.', promotionDetail), 400: parameterRefusal(), 404: notFound('promotion') },
    }),
    patch: adminOperation({
      operationId: 'adminUpdatePromotion',
      summary: 'Pause a promotion, or resume it',
      requestParams: promotionPath,
      requestBody: jsonBody(updatePromotionBody),
      responses: { 200: json('Its status now.', promotion), ...bodyRefusals, 404: notFound('promotion') },
    }),
    delete: adminOperation({
      operationId: 'adminDeletePromotion',
      summary: 'Delete a promotion: its schedule stops; its doublings stand and their subsidies are still paid',
      requestParams: { ...promotionPath, query: deletePromotionQuery },
      responses: { 200: json('Deleted.', promotion), 400: parameterRefusal(), 404: notFound('promotion') },
    }),
  },
};
