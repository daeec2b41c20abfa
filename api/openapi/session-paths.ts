/** The browser-session routes (api/accounts/session-routes.ts) in the document. */
import { z } from 'zod';
import type { ZodOpenApiPathsObject, ZodOpenApiResponseObject } from 'zod-openapi';
import { tokenBody } from '../accounts/schemas.js';
import {
  SESSION_COOKIE,
  SESSION_COOKIE_PATH,
  SESSION_HINT_COOKIE,
  SESSION_REFRESH_PATH,
} from '../auth/browser-session.js';
import { issuedToken } from '../auth/responses.js';
import { CLIENT_HEADER, WEB_CLIENT } from '../security/same-origin.js';
import { bodyRefusals, errorResponse, json, jsonBody, rateLimited } from './parts.js';

const tags = ['Accounts'];

const WHY_COOKIE = `For the web app, served from this origin: the refresh token is kept in the HttpOnly cookie \`${SESSION_COOKIE}\` (SameSite=Strict, Path=${SESSION_COOKIE_PATH}), never in the body, and the access token only in the page's memory. Other clients use POST /v1/auth/token and its JSON refresh token.`;

/** Every route here: the header that proves a same-origin caller, and the cookie it acts on. */
const clientHeader = z.object({
  [CLIENT_HEADER]: z.enum([WEB_CLIENT]).meta({
    description:
      'Required: a custom header needs a CORS preflight, which this API never grants, so a page on another site cannot send it.',
  }),
});
const sessionCookie = z.object({
  [SESSION_COOKIE]: z.string().optional().meta({ description: 'The refresh token, as the sign-in set it.' }),
});

const setCookie = (description: string) => z.string().meta({ description });
const noStore = z.literal('no-store');

const accessTokenAnswer = (description: string): ZodOpenApiResponseObject => ({
  ...json(description, issuedToken),
  headers: z.object({
    'Cache-Control': noStore,
    'Set-Cookie': setCookie(
      `\`${SESSION_COOKIE}=<refresh token>; Max-Age=<REFRESH_TOKEN_TTL_SECONDS>; Path=${SESSION_COOKIE_PATH}; HttpOnly; SameSite=Strict\`, and \`Secure\` over https; then \`${SESSION_HINT_COOKIE}=1\` (the same, but \`Path=/\` and readable by the app: it says only that a session may exist).`,
    ),
  }),
});

const crossSite = errorResponse(
  `Not from the web app on this origin: \`${CLIENT_HEADER}: ${WEB_CLIENT}\` is missing, \`Sec-Fetch-Site\` is neither \`same-origin\` nor \`none\`, or \`Origin\` names another host. Nothing was changed.`,
  ['CROSS_SITE_REQUEST'],
);

export const sessionPaths: ZodOpenApiPathsObject = {
  [SESSION_COOKIE_PATH]: {
    post: {
      operationId: 'startBrowserSession',
      summary: 'Sign in from the web app: the refresh token goes into an HttpOnly cookie',
      description: `${WHY_COOKIE} Validated and rate limited as POST /v1/auth/token.`,
      tags,
      requestParams: { header: clientHeader },
      requestBody: jsonBody(tokenBody),
      responses: {
        200: accessTokenAnswer('An access token; the refresh token is in the cookie.'),
        ...bodyRefusals,
        401: errorResponse('The email or password is not correct (the same answer for both).', ['INVALID_CREDENTIALS']),
        403: crossSite,
        429: rateLimited,
      },
    },
    delete: {
      operationId: 'endBrowserSession',
      summary: "Sign out from the web app: revoke the cookie's sign-in and clear the cookie",
      description:
        'Answers 204 with or without a cookie, known or not. Access tokens already issued stay valid until they expire (at most ACCESS_TOKEN_TTL_SECONDS).',
      tags,
      requestParams: { header: clientHeader, cookie: sessionCookie },
      responses: {
        204: {
          description: 'Signed out.',
          headers: z.object({
            'Set-Cookie': setCookie(`Clears \`${SESSION_COOKIE}\` and \`${SESSION_HINT_COOKIE}\`.`),
          }),
        },
        403: crossSite,
        429: rateLimited,
      },
    },
  },
  [SESSION_REFRESH_PATH]: {
    post: {
      operationId: 'refreshBrowserSession',
      summary: "Trade the session cookie for a new access token (the cookie's refresh token is used up)",
      description: `${WHY_COOKIE} The cookie is rotated as POST /v1/auth/refresh rotates a refresh token: a used one shown again revokes every token of its sign-in. The web app calls this on load and before its access token expires, one tab at a time.`,
      tags,
      requestParams: { header: clientHeader, cookie: sessionCookie },
      responses: {
        200: accessTokenAnswer('A new access token; the cookie now holds the next refresh token.'),
        401: {
          ...errorResponse('No cookie, or its refresh token is unknown, expired, used up or revoked: sign in again.', [
            'INVALID_REFRESH_TOKEN',
          ]),
          headers: z.object({
            'Set-Cookie': setCookie(`Clears \`${SESSION_COOKIE}\` and \`${SESSION_HINT_COOKIE}\`.`),
          }),
        },
        403: crossSite,
        429: rateLimited,
      },
    },
  },
};
