/** What the global setup hands the tests (in the environment the test workers inherit). */
export const E2E_BASE_URL = 'GAVEL_E2E_BASE_URL';

/**
 * The end-to-end app's ADMIN_EMAILS: each run's database is new, so the first test that needs an admin
 * signs this address up (Api.admin).
 */
export const E2E_ADMIN_EMAIL = 'e2e-admin@example.test';

/** The one SSO provider the API is configured with: the test OpenID provider (test/helpers/oidc-provider.ts). */
export const SSO_PROVIDER = { id: 'test-sso', name: 'Test SSO' } as const;
