/** The account routes (api/accounts/routes.ts) in the document: requests from the schemas the routes parse with. */
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { me, user } from '../accounts/responses.js';
import { refreshBody, registerBody, tokenBody } from '../accounts/schemas.js';
import { jwks, sessionTokens } from '../auth/responses.js';
import {
  bearer,
  bodyRefusals,
  errorResponse,
  json,
  jsonBody,
  notFound,
  rateLimited,
  unauthenticated,
} from './parts.js';

const tags = ['Accounts'];

/** Token answers must not be cached (RFC 6749 §5.1). */
export const tokenAnswer = (description: string) => ({
  ...json(description, sessionTokens),
  headers: z.object({ 'Cache-Control': z.literal('no-store') }),
});

export const accountPaths: ZodOpenApiPathsObject = {
  '/v1/users': {
    post: {
      operationId: 'register',
      summary: 'Sign up',
      tags,
      requestBody: jsonBody(registerBody),
      responses: {
        201: json('The new account.', user),
        ...bodyRefusals,
        409: errorResponse('An account with this email already exists.', ['EMAIL_TAKEN']),
        429: rateLimited,
      },
    },
  },
  '/v1/auth/token': {
    post: {
      operationId: 'signIn',
      summary: 'Sign in: email and password for an access token and a refresh token',
      tags,
      requestBody: jsonBody(tokenBody),
      responses: {
        200: tokenAnswer('An access token, and the refresh token that gets the next ones.'),
        ...bodyRefusals,
        401: errorResponse('The email or password is not correct (the same answer for both).', ['INVALID_CREDENTIALS']),
        429: rateLimited,
      },
    },
  },
  '/v1/auth/refresh': {
    post: {
      operationId: 'refreshSession',
      summary: 'Trade a refresh token for new tokens (the refresh token is used up)',
      description:
        'Each refresh token works once: the answer carries the next one. Showing a used one again revokes every token of its sign-in (someone else holds a copy).',
      tags,
      requestBody: jsonBody(refreshBody),
      responses: {
        200: tokenAnswer('New tokens; the refresh token sent is now used up.'),
        ...bodyRefusals,
        401: errorResponse('The refresh token is unknown, expired, used up or revoked: sign in again.', [
          'INVALID_REFRESH_TOKEN',
        ]),
        429: rateLimited,
      },
    },
  },
  '/v1/auth/logout': {
    post: {
      operationId: 'logout',
      summary: 'Sign out: revoke a refresh token and every token of its sign-in',
      description:
        'Answers 204 for any refresh token, known or not. Access tokens already issued stay valid until they expire (at most ACCESS_TOKEN_TTL_SECONDS).',
      tags,
      requestBody: jsonBody(refreshBody),
      responses: {
        204: { description: 'Signed out.' },
        ...bodyRefusals,
        429: rateLimited,
      },
    },
  },
  '/.well-known/jwks.json': {
    get: {
      operationId: 'getJwks',
      summary: 'The public keys that verify access tokens',
      tags,
      responses: {
        200: {
          ...json('The key set; cache it as Cache-Control says.', jwks),
          headers: z.object({ 'Cache-Control': z.string().meta({ example: 'public, max-age=300' }) }),
        },
      },
    },
  },
  '/v1/users/me': {
    get: {
      operationId: 'getMe',
      summary: 'The signed-in account',
      tags,
      security: bearer,
      responses: {
        200: json('Your account, with your role and whether an admin has blocked it.', me),
        401: unauthenticated,
        404: notFound('account (deleted since the token was issued)'),
      },
    },
    delete: {
      operationId: 'deleteMe',
      summary: 'Delete your account',
      description:
        'Your email and name are replaced by a tombstone; your password, SSO links and sessions are deleted, and your tokens stop working. Your bids stay (under the anonymised account), so auctions and results stay whole. Your auctions that nobody has bid on are cancelled; those with bids run to their end.',
      tags,
      security: bearer,
      responses: {
        204: { description: 'Deleted.' },
        401: unauthenticated,
      },
    },
  },
};
