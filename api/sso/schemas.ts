/** Request shapes of the SSO routes (zod); the OpenAPI document is generated from them. */
import { z } from 'zod';
import { isLoopbackRedirect } from './loopback.js';

/** Any string reaches the lookup (an unknown or malformed id is a 404). */
export const providerParam = z
  .string()
  .meta({ description: 'A configured provider id (GET /v1/auth/sso lists them).', example: 'google' });

/**
 * Who starts a sign-in. Without `client` the callback answers the session as JSON (any client); with
 * `client=web` the web app started it, and the callback sets the browser-session cookie and sends the
 * browser back to the app instead; with `client=cli` a program on the person's machine started it
 * (RFC 8252), and the callback sends the browser to that program's loopback `redirect_uri` with a
 * one-time code, which only the holder of the PKCE verifier behind `code_challenge` can trade for the
 * session (api/sso/routes.ts). Other query parameters are ignored, as before; the three of `client=cli`
 * are refused without it.
 */
export const SSO_CLIENTS = ['web', 'cli'] as const;

/** RFC 7636's verifier alphabet and lengths. */
const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** An S256 challenge: the base64url SHA-256 of a verifier, 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

const CLI_FIELDS = ['redirect_uri', 'state', 'code_challenge'] as const;

export const startQuery = z
  .object({
    client: z.enum(SSO_CLIENTS).optional().meta({
      description:
        'Set by the web app (`web`): the callback then sets the `gavel_session` cookie and answers 303 to `/` (errors: 303 to `/?signInError=<code>`) instead of JSON. Set by the command line (`cli`, with the three parameters below): the callback answers 303 to `redirect_uri` with `code` and `state` (errors: `error` and `state`).',
    }),
    redirect_uri: z
      .string()
      .refine(isLoopbackRedirect, 'must be http://127.0.0.1:<port>/<path> or http://localhost:<port>/<path>')
      .optional()
      .meta({
        description:
          'With `client=cli` only: where the program listens on the loopback interface, as a URL parser writes it (no query, fragment or credentials).',
        example: 'http://127.0.0.1:53682/callback',
      }),
    state: z
      .string()
      .regex(/^[A-Za-z0-9._~-]{16,128}$/, '16 to 128 URL-safe characters')
      .optional()
      .meta({ description: "With `client=cli` only: the program's own value, given back with the code." }),
    code_challenge: z
      .string()
      .regex(S256_CHALLENGE, 'an S256 PKCE challenge: 43 base64url characters')
      .optional()
      .meta({
        description:
          'With `client=cli` only: BASE64URL(SHA-256(code_verifier)) (RFC 7636, S256); the verifier redeems the code.',
      }),
  })
  .superRefine((query, ctx) => {
    for (const field of CLI_FIELDS) {
      if (query.client === 'cli' && query[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'required with client=cli' });
      } else if (query.client !== 'cli' && query[field] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'only with client=cli' });
      }
    }
  });
export type SsoClient = (typeof SSO_CLIENTS)[number];

/**
 * The provider's answer, as it redirects the browser back (RFC 6749 §4.1.2, RFC 9207 `iss`). Each
 * parameter at most once. Not strict: providers add parameters of their own (Google: scope, authuser,
 * prompt, hd; Entra and Keycloak: session_state), and openid-client judges the response as a whole. No
 * lengths: the server's limit on the request line (16 KiB, Node's) bounds them all, and a code's length
 * is the provider's business (some are over a kilobyte).
 */
export const callbackQuery = z.looseObject({
  code: z.string().optional().meta({ description: 'The authorization code.' }),
  state: z.string().optional().meta({ description: 'Echoed from the authorization request.' }),
  iss: z.string().optional().meta({ description: 'The issuer that answered (RFC 9207).' }),
  error: z.string().optional().meta({ description: 'Why the provider did not sign the user in.' }),
  error_description: z.string().optional(),
});

/** POST /v1/auth/sso/token: what a command-line sign-in's loopback page received, and the verifier it kept. */
export const cliCodeBody = z
  .object({
    code: z.string().max(64).meta({ description: 'The one-time code the loopback redirect carried.' }),
    codeVerifier: z
      .string()
      .regex(PKCE_VERIFIER, 'a PKCE code verifier: 43 to 128 characters of A-Z a-z 0-9 . _ ~ -')
      .meta({ description: 'The verifier whose S256 challenge started the sign-in.' }),
  })
  .strict()
  .meta({ id: 'SsoCodeExchange' });
