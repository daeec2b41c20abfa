/** Request shapes of the SSO routes (zod); the OpenAPI document is generated from them. */
import { z } from 'zod';

/** Any string reaches the lookup (an unknown or malformed id is a 404); the pattern documents what ids look like. */
export const providerParam = z
  .string()
  .meta({ description: 'A configured provider id (GET /v1/auth/sso lists them).', example: 'google' });

/**
 * The provider's answer, as it redirects the browser back (RFC 6749 §4.1.2, RFC 9207 `iss`). Not
 * strict: providers add parameters of their own (Google: scope, authuser, prompt, hd; Entra and
 * Keycloak: session_state), and openid-client judges the response as a whole.
 */
export const callbackQuery = z.looseObject({
  code: z.string().max(4096).optional().meta({ description: 'The authorization code.' }),
  state: z.string().max(256).optional().meta({ description: 'Echoed from the authorization request.' }),
  iss: z.string().max(2048).optional().meta({ description: 'The issuer that answered (RFC 9207).' }),
  error: z.string().max(256).optional().meta({ description: 'Why the provider did not sign the user in.' }),
  error_description: z.string().max(4096).optional(),
});
