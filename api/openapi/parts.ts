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

/** The error shape with `code` narrowed to `codes`, and the details those codes carry. */
export function errorResponse(
  description: string,
  codes: [string, ...string[]],
  details: Record<string, z.ZodType> = {},
  headers?: ZodOpenApiResponseObject['headers'],
): ZodOpenApiResponseObject {
  const error = errorBodySchema.shape.error.extend({ code: z.enum(codes), ...details });
  return { ...json(description, z.object({ error })), ...(headers ? { headers } : {}) };
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
  415: errorResponse('The body is in an encoding or charset the API does not read.', codesAt(415)),
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

/**
 * 429 from a rate limit, with when to try again. Documented ahead of the limiter itself, so clients
 * (and the fuzz test) already know the shape; its `code` is the limiter's to name.
 */
export const rateLimited: ZodOpenApiResponseObject = {
  ...json('Too many requests: wait `Retry-After` seconds.', errorBodySchema),
  headers: z.object({
    'Retry-After': z.string().meta({ description: 'Seconds to wait before trying again.', example: '3' }),
  }),
};

/** The bearer-token security requirement of an operation. */
export const bearer = [{ bearerAuth: [] }];
