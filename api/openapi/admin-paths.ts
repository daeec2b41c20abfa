/**
 * The admin routes (api/admin/routes.ts) in the document: requests from the schemas the routes parse
 * with. Every one needs an admin's token: 401 without a valid token, 403 FORBIDDEN for anyone else.
 */
import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { auditPage, moderatedUser } from '../admin/responses.js';
import { adminCancelBody, auditQuery, blockBody, roleBody, unblockBody, voidBody } from '../admin/schemas.js';
import { auction, retraction } from '../auctions/responses.js';
import { RETRACTION_REFUSALS } from '../../domain/retraction.js';
import { auctionIdParam } from '../auctions/ids.js';
import { sale } from '../sales/responses.js';
import {
  bearer,
  bodyRefusals,
  errorBodyOf,
  errorResponse,
  json,
  jsonBody,
  notFound,
  parameterRefusal,
  unauthenticated,
} from './parts.js';

const tags = ['Admin'];
export const idParam = (what: string) =>
  z.object({ id: auctionIdParam.meta({ description: `The ${what} id (a UUID).` }) });
const requestId = z.object({
  'X-Request-Id': z.string().meta({
    description: "The request's id, as its audit entries name it: yours when you sent a plain one, else one made up.",
  }),
});

const notAdmin = errorResponse('Your account is not an admin.', ['FORBIDDEN']);

/** What every admin operation shares: the token, who may, and the request id in the answer. */
export function adminOperation(operation: ZodOpenApiOperationObject): ZodOpenApiOperationObject {
  const responses = Object.fromEntries(
    Object.entries(operation.responses).map(([status, response]) => [
      status,
      status.startsWith('2') ? { ...response, headers: requestId } : response,
    ]),
  );
  return { ...operation, tags, security: bearer, responses: { ...responses, 401: unauthenticated, 403: notAdmin } };
}

const userPath = { path: idParam('user') };

export const adminPaths: ZodOpenApiPathsObject = {
  '/v1/admin/users/{id}': {
    get: adminOperation({
      operationId: 'adminGetUser',
      summary: 'An account as admins see it: its role and its block',
      requestParams: userPath,
      responses: { 200: json('The account.', moderatedUser), 404: notFound('user') },
    }),
  },
  '/v1/admin/users/{id}/role': {
    put: adminOperation({
      operationId: 'adminSetRole',
      summary: 'Grant or take back the admin role (an account whose email is in ADMIN_EMAILS stays an admin)',
      description: 'Setting the role the account has already changes nothing and writes no audit entry.',
      requestParams: userPath,
      requestBody: jsonBody(roleBody),
      responses: {
        200: json('The account, its role changed.', moderatedUser),
        ...bodyRefusals,
        404: notFound('user'),
        409: errorResponse('The account is an admin through ADMIN_EMAILS: change that list instead.', [
          'ADMIN_BY_CONFIG',
        ]),
      },
    }),
  },
  '/v1/admin/users/{id}/block': {
    post: adminOperation({
      operationId: 'adminBlockUser',
      summary: 'Block an account: it may still sign in, read and pay, but not bid, sell or claim',
      description:
        "Refused with 403 ACCOUNT_BLOCKED from now on, the account's tokens already issued included (in every " +
        'API process within a second). Blocking a blocked account changes nothing (its first reason stays).',
      requestParams: userPath,
      requestBody: jsonBody(blockBody),
      responses: { 200: json('The account, blocked.', moderatedUser), ...bodyRefusals, 404: notFound('user') },
    }),
  },
  '/v1/admin/users/{id}/unblock': {
    post: adminOperation({
      operationId: 'adminUnblockUser',
      summary: 'Unblock an account',
      description: 'Unblocking an account that is not blocked changes nothing.',
      requestParams: userPath,
      requestBody: jsonBody(unblockBody),
      responses: { 200: json('The account, not blocked.', moderatedUser), ...bodyRefusals, 404: notFound('user') },
    }),
  },
  '/v1/admin/auctions/{id}/cancel': {
    post: adminOperation({
      operationId: 'adminCancelAuction',
      summary: 'Cancel any auction, bids or not: no bid is accepted from the answer on',
      description:
        'Its watchers and bidders are told the reason, as with a seller’s cancel. A cancelled auction answers as it is.',
      requestParams: { path: idParam('auction') },
      requestBody: jsonBody(adminCancelBody),
      responses: {
        200: json('The cancelled auction.', auction),
        ...bodyRefusals,
        404: notFound('auction'),
        409: errorResponse('The auction has already closed.', ['AUCTION_CLOSED']),
      },
    }),
  },
  '/v1/admin/auctions/{id}/voids': {
    post: adminOperation({
      operationId: 'adminVoidBids',
      summary: "Void all of a bidder's bids on an open auction (a retraction by the house)",
      description:
        'Whatever the time left, and even if the bidder retracted before; it does not count against them. The ' +
        'leader and price are found again from the maxima that remain; watchers get a `retracted` event; the ' +
        'audit log records it when the persist cycle stores it (within a second or two).',
      requestParams: { path: idParam('auction') },
      requestBody: jsonBody(voidBody),
      responses: {
        201: json('Voided: where the auction stands now.', retraction),
        ...bodyRefusals,
        404: notFound('auction'),
        409: json(
          'Not allowed (`RETRACTION_NOT_ALLOWED`): the auction is not open, or the bidder has no standing bid on it.',
          errorBodyOf(['RETRACTION_NOT_ALLOWED'], { reason: z.enum(RETRACTION_REFUSALS) }),
        ),
      },
    }),
  },
  '/v1/admin/sales/{id}/cancel': {
    post: adminOperation({
      operationId: 'adminCancelSale',
      summary: 'Cancel any flash sale: no claim is taken from the answer on; open holds are released',
      requestParams: { path: idParam('sale') },
      requestBody: jsonBody(adminCancelBody),
      responses: {
        200: json('The cancelled sale.', sale),
        ...bodyRefusals,
        404: notFound('sale'),
        409: json(
          'The sale has closed or been cancelled (`SALE_ENDED`), or every unit is paid for (`SOLD_OUT`).',
          errorBodyOf(['SALE_ENDED', 'SOLD_OUT'], { status: z.enum(['closed', 'cancelled', 'sold_out']) }),
        ),
      },
    }),
  },
  '/v1/admin/audit': {
    get: adminOperation({
      operationId: 'adminListAudit',
      summary: 'The audit log, newest first: admins’ actions and the system’s unpaid strikes',
      requestParams: { query: auditQuery },
      responses: {
        200: json('A page of entries; nextCursor is null on the last.', auditPage),
        400: parameterRefusal('INVALID_CURSOR'),
      },
    }),
  },
};
