/**
 * What every scenario shares: `app` (the API over HTTP, test/e2e/api.ts), `person(user)` (a browser
 * context of its own, signed in through the /sign-in form, as that person would), and the accessibility
 * check each visited page goes through.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { Api, PASSWORD, type User } from './api.js';

/** axe's serious and critical findings fail the test; moderate and minor ones are left to review. */
const BLOCKING = new Set(['serious', 'critical']);

/** Runs axe over the page as it is now; fails with each serious or critical violation and where it is. */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const blocking = violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ''))
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(blocking, `axe on ${page.url()}`).toEqual([]);
}

/** Loaded: the route's chunk is in (main has content), nothing is still marked busy, and the h1 if named. */
export async function loaded(page: Page, heading?: string): Promise<void> {
  await expect(page.locator('main')).not.toBeEmpty();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  if (heading) await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/** The header's link to the account: its name is the signed-in person's display name. */
export const accountLink = (page: Page, user: Pick<User, 'displayName'>) =>
  page.getByRole('banner').getByRole('link', { name: user.displayName, exact: true });

/** Signs in with the form on /sign-in (checked with axe on the way), then waits for the header to say so. */
export async function signInThroughForm(page: Page, user: User, next?: string): Promise<void> {
  await page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(accountLink(page, user)).toBeVisible();
}

export const test = base.extend<{ app: Api; person: (user: User, next?: string) => Promise<Page> }>({
  app: async ({ baseURL }, use) => {
    if (!baseURL) throw new Error('no baseURL: run through playwright.config.ts (its global setup starts the API)');
    await use(new Api(baseURL));
  },
  person: async ({ browser, baseURL }, use) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    await use(async (user, next) => {
      const context = await browser.newContext({ baseURL, locale: 'en-US', timezoneId: 'UTC' });
      contexts.push(context);
      const page = await context.newPage();
      await signInThroughForm(page, user, next);
      return page;
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
});

export { expect };
