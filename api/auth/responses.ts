/** What the token routes answer, as zod schemas: the token service is typed by them, the OpenAPI document generated from them. */
import { z } from 'zod';

export const TOKEN_ALGORITHM = 'ES256';

export const issuedToken = z
  .object({
    accessToken: z.string().meta({ description: 'A JWT (ES256): send it as `Authorization: Bearer <accessToken>`.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().positive().meta({ description: 'Seconds until the token expires.' }),
  })
  .meta({ id: 'AccessToken' });

/** What a sign-in (password or SSO) and a refresh answer: a short-lived access token and the refresh token behind it. */
export const sessionTokens = z
  .object({
    ...issuedToken.shape,
    refreshToken: z.string().meta({
      description:
        'Opaque; trade it at POST /v1/auth/refresh for new tokens (each refresh token works once), or revoke it at POST /v1/auth/logout. Keep it secret.',
    }),
    refreshTokenExpiresIn: z
      .number()
      .int()
      .positive()
      .meta({ description: 'Seconds until the refresh token expires.' }),
  })
  .meta({ id: 'SessionTokens' });

export const publicJwk = z
  .object({
    kty: z.string(),
    crv: z.string(),
    x: z.string(),
    y: z.string(),
    kid: z.string(),
    alg: z.literal(TOKEN_ALGORITHM),
    use: z.literal('sig'),
  })
  .meta({ id: 'PublicJwk' });

export const jwks = z
  .object({ keys: z.array(publicJwk) })
  .meta({ id: 'Jwks', description: 'The public keys that verify access tokens (RFC 7517).' });

export type IssuedToken = z.infer<typeof issuedToken>;
export type SessionTokens = z.infer<typeof sessionTokens>;
export type PublicJwk = z.infer<typeof publicJwk>;
export type Jwks = z.infer<typeof jwks>;
