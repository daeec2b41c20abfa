/**
 * Sign-in with SSO in a real browser: the sign-in page offers the provider the API is configured with
 * (the test OpenID provider, global-setup.ts), its button goes through the provider's own login and
 * consent pages (devInteractions: any login name signs in), and the browser comes back to the app
 * signed in, with the name the provider gave in the header.
 */
import { randomBytes } from 'node:crypto';
import { SSO_PROVIDER } from './env.js';
import { expect, expectAccessible, test } from './fixtures.js';

test('sign in with SSO through the provider’s pages and back, signed in', async ({ page, baseURL }) => {
  const login = `grace-${randomBytes(4).toString('hex')}`;
  await page.goto('/sign-in');
  const button = page.getByRole('link', { name: SSO_PROVIDER.name });
  await expect(button).toBeVisible();
  await expectAccessible(page);

  await button.click();
  // The provider's pages (oidc-provider's development login and consent), on its own origin.
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.getByPlaceholder('and password').fill('not checked');
  await page.getByRole('button', { name: /sign-in/i }).click();
  await page.getByRole('button', { name: /continue/i }).click();

  // Back at the app (the API's callback answers 303 to /, with the session cookie), signed in.
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole('banner').getByRole('link', { name: login, exact: true })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expectAccessible(page);

  // The session survives a reload: the refresh cookie the callback set brings the access token back.
  await page.reload();
  await expect(page.getByRole('banner').getByRole('link', { name: login, exact: true })).toBeVisible();
});

test('an SSO sign-in abandoned at the provider comes back to the app with the reason and a way to retry', async ({
  page,
  baseURL,
}) => {
  await page.goto('/sign-in');
  await page.getByRole('link', { name: SSO_PROVIDER.name }).click();
  // The provider's login page offers "[ Cancel ]": the provider answers the API's callback with access_denied.
  await page.getByRole('link', { name: /cancel/i }).click();
  await expect(page).toHaveURL(new RegExp(`^${baseURL}/\\?signInError=SSO_PROVIDER_ERROR$`));
  const alert = page.getByTestId('sign-in-error');
  await expect(alert).toContainText('SSO_PROVIDER_ERROR');
  await expect(alert.getByRole('link', { name: 'Try again' })).toHaveAttribute('href', '/sign-in');
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  await expectAccessible(page);
});
