/**
 * Building blocks of the document's operations: JSON bodies, and the error shape narrowed to the codes
 * a response can carry, so a client can branch on `error.code` from the document alone.
 */
import { z } from 'zod';
import type { ZodOpenApiResponseObject } from 'zod-openapi';
import { bodyErrorCodes } from '../error-handler.js';
import { errorBodySchema } from '../errors.js';

export const jsonBody = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });

export const json = (description: string, schema: z.ZodType): ZodOpenApiResponseObject => ({
  description,
  content: { 'application/json': { schema } },
});

/** The error body with `code` narrowed to `codes`, and the details those codes carry. */
export const errorBodyOf = (codes: [string, ...string[]], details: Record<string, z.ZodType> = {}) =>
  z.object({ error: errorBodySchema.shape.error.extend({ code: z.enum(codes), ...details }) });

/** A response of the error shape (see errorBodyOf); codes with different details are a union of those. */
export function errorResponse(
  description: string,
  codes: [string, ...string[]],
  details: Record<string, z.ZodType> = {},
  headers?: ZodOpenApiResponseObject['headers'],
): ZodOpenApiResponseObject {
  return { ...json(description, errorBodyOf(codes, details)), ...(headers ? { headers } : {}) };
}

const codesAt = (status: number, ...more: string[]) => [...more, ...bodyErrorCodes(status)] as [string, ...string[]];

/** 400, 413 and 415: what express.json and the route's own validation refuse before anything happens. */
export const bodyRefusals = {
  400: errorResponse(
    'The body (or a parameter) is not valid: `VALIDATION` lists each issue in `error.issues`.',
    codesAt(400, 'VALIDATION'),
    { issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() },
  ),
  413: errorResponse('The body is larger than the API accepts.', codesAt(413)),
  415: errorResponse(
    'The body is not JSON (`Content-Type` must be `application/json`), or in an encoding or charset the API does not read.',
    codesAt(415, 'UNSUPPORTED_MEDIA_TYPE'),
  ),
} as const;

/** A query or header that does not validate. */
export const parameterRefusal = (...codes: string[]) =>
  errorResponse(
    'A parameter is not valid: `VALIDATION` lists each issue in `error.issues`.',
    ['VALIDATION', ...codes],
    {
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    },
  );

/** 401 from a route behind the bearer token (api/auth/require-user.ts), with the challenge RFC 6750 asks for. */
export const unauthenticated = errorResponse(
  'No access token (`UNAUTHENTICATED`), or one that is forged, malformed or expired (`INVALID_TOKEN`).',
  ['UNAUTHENTICATED', 'INVALID_TOKEN'],
  {},
  z.object({
    'WWW-Authenticate': z.string().meta({ description: 'The bearer challenge (RFC 6750).', example: 'Bearer' }),
  }),
);

export const notFound = (what: string) => errorResponse(`No such ${what}.`, ['NOT_FOUND']);

const retryAfter = z.object({
  'Retry-After': z.string().meta({ description: 'Seconds to wait before trying again.', example: '3' }),
});

/** 429 from a rate limit (api/security/rate-limits.ts), with when to try again. */
export const rateLimited = errorResponse(
  'Too many requests: wait `Retry-After` seconds.',
  ['RATE_LIMITED'],
  { retryAfterSeconds: z.int().min(1) },
  retryAfter,
);

/** 429 from the cap on open event streams per address and per user (api/security/stream-caps.ts). */
export const tooManyStreams = errorResponse(
  'Too many event streams open from this address or user: close one, or wait `Retry-After` seconds.',
  ['TOO_MANY_STREAMS'],
  { retryAfterSeconds: z.int().min(1) },
  retryAfter,
);

/** 503 while Postgres, Redis or Temporal is down (api/unavailable.ts): the same request may be retried. */
export const unavailable = errorResponse(
  'A service this request needs (Postgres, Redis or Temporal) is down: retry after `Retry-After` seconds; ' +
    'a bid retried with the same `Idempotency-Key` gets the original decision.',
  ['UNAVAILABLE'],
  {},
  retryAfter,
);

/** 403 for an account an admin blocked, on the routes that sell or buy (api/moderation/guards.ts). */
export const accountBlockedText =
  'your account is blocked by an admin (`ACCOUNT_BLOCKED`: no bidding, selling or claiming)';
export const accountBlocked = errorResponse(`Refused: ${accountBlockedText}.`, ['ACCOUNT_BLOCKED']);

/** The bearer-token security requirement of an operation. */
export const bearer = [{ bearerAuth: [] }];
