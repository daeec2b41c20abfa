/** The sale routes (api/sales/routes.ts) in the document: requests from the schemas the routes parse with. */
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { parseConfig } from '../../config/env.js';
import { idempotencyKey } from '../auctions/schemas.js';
import { bodyErrorCodes } from '../error-handler.js';
import { claimedUnits, sale, saleChallenge, saleEvent, waitlistPlace } from '../sales/responses.js';
import {
  altchaHeader,
  cancelSaleBody,
  claimBody,
  createSaleBody,
  saleLastEventId,
  waitlistBody,
} from '../sales/schemas.js';
import {
  accountBlocked,
  accountBlockedText,
  bearer,
  bodyRefusals,
  errorBodyOf,
  errorResponse,
  json,
  jsonBody,
  notFound,
  rateLimited,
  tooManyStreams,
  unauthenticated,
} from './parts.js';

const tags = ['Sales'];
/** The default configuration's shortest hold: a deployment may set another (SALES_MIN_HOLD_SECONDS). */
const DEFAULT_MIN_HOLD_SECONDS = parseConfig({}).SALES_MIN_HOLD_SECONDS;

const saleIdParam = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/)
  .meta({ description: 'The sale id (a UUID).', format: 'uuid', example: '0b7d4c2e-6a1f-4e8b-9c3d-2f1e0d9c8b7a' });
const path = z.object({ id: saleIdParam });

const sellerCannotBuy = errorResponse(
  `A seller cannot buy from their own sale (\`SELLER_CANNOT_BUY\`), or ${accountBlockedText}.`,
  ['SELLER_CANNOT_BUY', 'ACCOUNT_BLOCKED'],
);

export const salePaths: ZodOpenApiPathsObject = {
  '/v1/sales': {
    post: {
      operationId: 'createSale',
      summary: 'Create a flash sale (you are its seller)',
      description:
        'A fixed price, a stock, a per-user limit, and holds: a claim holds its units for holdSeconds, for payment.',
      tags,
      security: bearer,
      requestBody: jsonBody(createSaleBody(DEFAULT_MIN_HOLD_SECONDS)),
      responses: {
        201: json('The sale: scheduled, or open when startsAt has passed.', sale),
        ...bodyRefusals,
        401: unauthenticated,
        403: accountBlocked,
        503: errorResponse('The sale could not be scheduled; nothing was created: retry.', ['UNAVAILABLE']),
      },
    },
  },
  '/v1/sales/{id}': {
    get: {
      operationId: 'getSale',
      summary: 'Read a sale, live counts included',
      tags,
      requestParams: { path },
      responses: { 200: json('The sale.', sale), 404: notFound('sale') },
    },
  },
  '/v1/sales/{id}/cancel': {
    post: {
      operationId: 'cancelSale',
      summary: 'Cancel a sale (its seller only): no claim is taken from the answer on; open holds are released',
      tags,
      security: bearer,
      requestParams: { path },
      requestBody: { required: false, content: { 'application/json': { schema: cancelSaleBody } } },
      responses: {
        200: json('The cancelled sale.', sale),
        ...bodyRefusals,
        401: unauthenticated,
        403: errorResponse('You are not its seller.', ['NOT_SELLER']),
        404: notFound('sale'),
        409: errorResponse(
          'The sale has already closed or been cancelled (SALE_ENDED), or every unit is sold (SOLD_OUT).',
          ['SALE_ENDED', 'SOLD_OUT'],
          { status: z.enum(['closed', 'cancelled', 'sold_out']) },
        ),
      },
    },
  },
  '/v1/sales/{id}/claims': {
    post: {
      operationId: 'claimSaleUnits',
      summary: 'Claim units: they are held for you to pay until holdExpiresAt',
      description:
        'Decided at once, first come first served. A sale with requireChallenge asks for X-Altcha, a solved ' +
        'challenge from GET /v1/sales/{id}/challenge, good for one claim. Retrying with the same Idempotency-Key ' +
        'answers the first decision again (the same orderId).',
      tags,
      security: bearer,
      requestParams: {
        path,
        header: z.object({ 'Idempotency-Key': idempotencyKey.optional(), 'X-Altcha': altchaHeader.optional() }),
      },
      requestBody: jsonBody(claimBody),
      responses: {
        201: json('Held: pay the order before holdExpiresAt.', claimedUnits),
        400: errorResponse(
          'The body or a header is not valid (`VALIDATION`, each issue in `error.issues`, or a body refusal), or ' +
            'the sale asks for a solved challenge and none came (`CHALLENGE_REQUIRED`) or a forged, expired or ' +
            "another sale's one did (`CHALLENGE_INVALID`).",
          ['VALIDATION', ...bodyErrorCodes(400), 'CHALLENGE_REQUIRED', 'CHALLENGE_INVALID'],
          { issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() },
        ),
        413: bodyRefusals[413],
        415: bodyRefusals[415],
        401: unauthenticated,
        403: sellerCannotBuy,
        404: notFound('sale'),
        409: json(
          'Refused: not enough units (`SOLD_OUT`: join the waitlist while `waitlistOpen`), past your per-user ' +
            'limit (`LIMIT_REACHED`: units held and bought count), the sale is not open (`SALE_NOT_OPEN`), or the ' +
            'challenge served a claim already (`CHALLENGE_USED`).',
          z.union([
            errorBodyOf(['SOLD_OUT', 'LIMIT_REACHED', 'SALE_NOT_OPEN'], {
              available: z.number().int().min(0),
              waitlistOpen: z.boolean(),
            }),
            errorBodyOf(['CHALLENGE_USED']),
          ]),
        ),
        429: rateLimited,
      },
    },
  },
  '/v1/sales/{id}/challenge': {
    get: {
      operationId: 'getSaleChallenge',
      summary: 'A proof-of-work challenge for one claim on a sale with requireChallenge (ALTCHA)',
      description:
        'Solve it (the ALTCHA widget, or altcha-lib) within SALE_CHALLENGE_TTL_SECONDS (300) and send the base64 ' +
        'payload as the X-Altcha header of one claim.',
      tags,
      requestParams: { path },
      responses: {
        200: json('A challenge, for this sale only.', saleChallenge),
        404: notFound('sale'),
        409: errorResponse('This sale asks for no challenge.', ['CHALLENGE_NOT_REQUIRED']),
      },
    },
  },
  '/v1/sales/{id}/waitlist': {
    post: {
      operationId: 'joinSaleWaitlist',
      summary: 'Wait for units of a sold-out sale: held units that expire unpaid go to the waitlist first',
      description: 'Joining again keeps your place and sets the units wanted.',
      tags,
      security: bearer,
      requestParams: { path },
      requestBody: jsonBody(waitlistBody),
      responses: {
        200: json('Your place in line.', waitlistPlace),
        ...bodyRefusals,
        401: unauthenticated,
        403: sellerCannotBuy,
        404: notFound('sale'),
        409: errorResponse(
          'Refused: the units are there to claim (`UNITS_AVAILABLE`), sold out with nothing held so nothing can ' +
            'come back (`SOLD_OUT`), past your per-user limit (`LIMIT_REACHED`), or the sale is not open ' +
            '(`SALE_NOT_OPEN`).',
          ['UNITS_AVAILABLE', 'SOLD_OUT', 'LIMIT_REACHED', 'SALE_NOT_OPEN'],
          { available: z.number().int().min(0), held: z.number().int().min(0) },
        ),
      },
    },
    delete: {
      operationId: 'leaveSaleWaitlist',
      summary: 'Leave the waitlist',
      tags,
      security: bearer,
      requestParams: { path },
      responses: {
        204: { description: 'Off the waitlist.' },
        401: unauthenticated,
        404: errorResponse('No such sale (`NOT_FOUND`), or you are not on its waitlist (`NOT_WAITING`).', [
          'NOT_FOUND',
          'NOT_WAITING',
        ]),
      },
    },
  },
  '/v1/sales/{id}/events': {
    get: {
      operationId: 'watchSale',
      summary: 'Watch a sale live (Server-Sent Events)',
      description:
        'Public. A bearer token is optional; when given it must be valid, and it counts toward the per-user stream cap.',
      tags,
      security: [{}, { bearerAuth: [] }],
      requestParams: { path, header: z.object({ 'Last-Event-ID': saleLastEventId.optional() }) },
      responses: {
        200: {
          description: 'An endless event stream; each event as described (its `data` is JSON).',
          content: { 'text/event-stream': { schema: saleEvent } },
        },
        401: unauthenticated,
        404: notFound('sale'),
        429: tooManyStreams,
      },
    },
  },
};
