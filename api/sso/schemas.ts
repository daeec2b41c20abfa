/** Request shapes of the SSO routes (zod); the OpenAPI document is generated from them. */
import { z } from 'zod';

/** Any string reaches the lookup (an unknown or malformed id is a 404). */
export const providerParam = z
  .string()
  .meta({ description: 'A configured provider id (GET /v1/auth/sso lists them).', example: 'google' });

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
