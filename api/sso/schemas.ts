/** Request shapes of the SSO routes (zod); the OpenAPI document is generated from them. */
import { z } from 'zod';

/** Any string reaches the lookup (an unknown or malformed id is a 404). */
export const providerParam = z
  .string()
  .meta({ description: 'A configured provider id (GET /v1/auth/sso lists them).', example: 'google' });

/**
 * Who starts a sign-in. Without `client` the callback answers the session as JSON (any client); with
 * `client=web` the web app started it, and the callback sets the browser-session cookie and sends the
 * browser back to the app instead (api/sso/routes.ts). Other query parameters are ignored, as before.
 */
export const SSO_CLIENTS = ['web'] as const;
export const startQuery = z.object({
  client: z.enum(SSO_CLIENTS).optional().meta({
    description:
      'Set by the web app: the callback then sets the `gavel_session` cookie and answers 303 to `/` (errors: 303 to `/?signInError=<code>`) instead of JSON.',
  }),
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
