/** What the SSO routes answer, as zod schemas (the OpenAPI document is generated from them). */
import { z } from 'zod';

export const ssoProviderList = z
  .object({
    providers: z.array(
      z.object({
        id: z.string().meta({ description: 'Use it in /v1/auth/sso/{provider}/start.', example: 'google' }),
        name: z.string().meta({ description: 'For people: a sign-in button.', example: 'Google' }),
      }),
    ),
  })
  .meta({ id: 'SsoProviders' });

export type SsoProviderListJson = z.infer<typeof ssoProviderList>;
