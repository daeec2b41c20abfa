/** The account routes (api/accounts/routes.ts) in the document: requests from the schemas the routes parse with. */
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { user } from '../accounts/responses.js';
import { registerBody, tokenBody } from '../accounts/schemas.js';
import { issuedToken, jwks } from '../auth/responses.js';
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
      summary: 'Sign in: email and password for an access token',
      tags,
      requestBody: jsonBody(tokenBody),
      responses: {
        200: json('An access token.', issuedToken),
        ...bodyRefusals,
        401: errorResponse('The email or password is not correct (the same answer for both).', ['INVALID_CREDENTIALS']),
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
        200: json('Your account.', user),
        401: unauthenticated,
        404: notFound('account (deleted since the token was issued)'),
      },
    },
  },
};
