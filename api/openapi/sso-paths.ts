/** The SSO routes (api/sso/routes.ts) in the document. */
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { SESSION_COOKIE } from '../auth/browser-session.js';
import { CLI_CODE_TTL_SECONDS } from '../sso/cli-codes.js';
import { callbackQuery, cliCodeBody, providerParam, startQuery } from '../sso/schemas.js';
import { ssoProviderList } from '../sso/responses.js';
import { tokenAnswer } from './account-paths.js';
import { bodyRefusals, errorResponse, json, jsonBody, notFound, parameterRefusal, rateLimited } from './parts.js';

const tags = ['Accounts'];
const path = z.object({ provider: providerParam });

const retryAfter = z.object({
  'Retry-After': z.string().meta({ description: 'Seconds to wait before trying again.', example: '1' }),
});
const providerUnavailable = errorResponse(
  'The provider (or Postgres, Redis) could not be reached: retry after `Retry-After` seconds.',
  ['SSO_PROVIDER_UNAVAILABLE', 'UNAVAILABLE'],
  { retryAfterSeconds: z.int().min(1).optional() },
  retryAfter,
);
const providerFailed = errorResponse('The provider refused this API as a client: a configuration to fix.', [
  'SSO_PROVIDER_FAILED',
]);

export const ssoPaths: ZodOpenApiPathsObject = {
  '/v1/auth/sso': {
    get: {
      operationId: 'listSsoProviders',
      summary: 'The OpenID Connect providers you can sign in with',
      tags,
      responses: { 200: json('The configured providers (possibly none).', ssoProviderList) },
    },
  },
  '/v1/auth/sso/{provider}/start': {
    get: {
      operationId: 'startSso',
      summary: 'Sign in with a provider: redirects the browser there',
      description:
        "Open it in the browser (a link or a button). It sets a short-lived HttpOnly cookie that binds the sign-in to this browser, and redirects to the provider with a fresh state, nonce and PKCE challenge. The provider sends the browser back to the registered redirect URI, which must lead to the callback below with the cookie. The web app adds `client=web`, and the callback then answers with a cookie and a redirect to the app instead of JSON. A program on the person's machine (the `gavel` command line) adds `client=cli` with its loopback `redirect_uri`, its `state` and a PKCE `code_challenge` (RFC 8252), and the callback then sends the browser there with a one-time code to redeem at POST /v1/auth/sso/token.",
      tags,
      requestParams: { path, query: startQuery },
      responses: {
        302: {
          description: "To the provider's authorization endpoint.",
          headers: z.object({
            Location: z.string().meta({ description: 'The authorization URL.' }),
            'Set-Cookie': z.string().meta({ description: 'The browser binding (HttpOnly, SameSite=Lax).' }),
          }),
        },
        400: parameterRefusal(),
        404: notFound('SSO provider'),
        429: rateLimited,
        502: providerFailed,
        503: providerUnavailable,
      },
    },
  },
  '/v1/auth/sso/{provider}/callback': {
    get: {
      operationId: 'finishSso',
      summary: 'Where the provider sends the browser back: signs in',
      description:
        'Answers the same tokens as a password sign-in; a sign-in the web app started (`client=web`) is answered 303 instead, to `/` with the browser-session cookie, or to `/?signInError=<code>` when it fails after its state was found (the codes below); one the command line started (`client=cli`) 303 to its `redirect_uri` with `code` and `state`, or `error=<code>` and `state`. A state works once, only for the provider and the browser that started it, and only for SSO_ATTEMPT_TTL_SECONDS. A first sign-in is linked to the account with the same email only if the provider says the email is verified; otherwise it is refused (403).',
      tags,
      requestParams: { path, query: callbackQuery },
      responses: {
        200: tokenAnswer('Signed in.'),
        303: {
          description:
            'A sign-in the web app (`client=web`) or the command line (`client=cli`) started: back to it, signed in or not.',
          headers: z.object({
            Location: z.string().meta({
              description:
                '`/`, or `/?signInError=<code>`; for `client=cli`, `<redirect_uri>?code=…&state=…` or `?error=<code>&state=…`.',
              example: '/',
            }),
            'Set-Cookie': z.string().meta({
              description: `When signed in: \`${SESSION_COOKIE}\`, the refresh token (HttpOnly, SameSite=Strict, Path=/v1/auth/session); the binding cookie is cleared either way.`,
            }),
          }),
        },
        400: errorResponse(
          "The sign-in failed: `SSO_STATE_INVALID` (unknown, expired, replayed, another provider or browser), `SSO_PROVIDER_ERROR` (the provider answered with an error, in `providerError`), `SSO_CODE_REJECTED` (the code was refused: used, expired, another client's), `SSO_RESPONSE_INVALID` (the response failed verification). Start again.",
          ['SSO_STATE_INVALID', 'SSO_PROVIDER_ERROR', 'SSO_CODE_REJECTED', 'SSO_RESPONSE_INVALID', 'VALIDATION'],
          {
            providerError: z.string().optional(),
            issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
          },
        ),
        403: errorResponse('The provider did not confirm a verified email, and this identity is not linked yet.', [
          'SSO_EMAIL_NOT_VERIFIED',
        ]),
        404: notFound('SSO provider'),
        429: rateLimited,
        502: providerFailed,
        503: providerUnavailable,
      },
    },
  },
  '/v1/auth/sso/token': {
    post: {
      operationId: 'redeemSsoCode',
      summary: "Trade a command-line sign-in's one-time code for the session",
      description: `The code the callback sent to the program's loopback \`redirect_uri\` (\`client=cli\`), with the PKCE verifier whose S256 challenge started the sign-in. A code works once, for ${CLI_CODE_TTL_SECONDS} seconds, with that verifier only: a wrong verifier spends it too.`,
      tags,
      requestBody: jsonBody(cliCodeBody),
      responses: {
        200: tokenAnswer('Signed in: the same tokens as a password sign-in.'),
        ...bodyRefusals,
        401: errorResponse('The code is unknown, expired or used, or the verifier is not its own: sign in again.', [
          'SSO_CODE_INVALID',
        ]),
        429: rateLimited,
      },
    },
  },
};
