/**
 * Every page of the app, visited anonymously and signed in, each checked with axe (0 serious or
 * critical violations) once it has loaded: an auction and a sale with bids and claims behind them, so
 * the pages show real content, not their empty states.
 */
import type { Page } from '@playwright/test';
import { accountLink, expect, expectAccessible, loaded, signInThroughForm, test } from './fixtures.js';

async function visit(page: Page, path: string, heading?: string): Promise<void> {
  await test.step(path, async () => {
    await page.goto(path);
    await loaded(page, heading);
    await expectAccessible(page);
  });
}

test('every page passes axe, anonymous and signed in', async ({ app, page }) => {
  const seller = await app.signUp('Sam Seller');
  const ann = await app.signUp('Ann Bidder');
  const ben = await app.signUp('Ben Bidder');
  const auction = await app.createAuction(seller, {
    title: 'A brass ship’s clock',
    endsAt: new Date(Date.now() + 3600_000).toISOString(),
    buyersPremiumBps: 1000,
  });
  await app.bid(ann, auction.id, 1500);
  await app.bid(ben, auction.id, 2000);
  const sale = await app.createSale(seller, { title: 'Hand-thrown mugs', stock: 5 });
  await app.claim(ben, sale.id);

  // Anonymous: what anyone sees, and what the signed-in-only pages show them instead.
  await visit(page, '/', 'Browse');
  await expect(page.getByRole('link', { name: 'A brass ship’s clock' })).toBeVisible();
  await visit(page, `/auctions/${auction.id}`, 'A brass ship’s clock');
  await expect(page.getByRole('link', { name: 'Sign in to bid' })).toBeVisible();
  await visit(page, `/sales/${sale.id}`, 'Hand-thrown mugs');
  await visit(page, '/sign-in', 'Sign in');
  await visit(page, '/sign-up', 'Create an account');
  await visit(page, '/account');
  await visit(page, '/no-such-page', 'Not found');

  // Signed in: every page in the navigation, and the account.
  await signInThroughForm(page, ann);
  await expect(accountLink(page, ann)).toBeVisible();
  await visit(page, '/', 'Browse');
  await visit(page, `/auctions/${auction.id}`, 'A brass ship’s clock');
  await expect(page.getByTestId('leader-status')).toHaveText('Outbid');
  await visit(page, `/sales/${sale.id}`, 'Hand-thrown mugs');
  await expect(page.getByRole('button', { name: 'Claim' })).toBeVisible();
  await visit(page, '/account', 'Your account');
  for (const path of [
    '/sell',
    '/sell/sale',
    '/selling',
    '/me/bids',
    '/me/watchlist',
    '/me/notifications',
    '/me/orders',
    '/me/settings',
  ]) {
    await visit(page, path);
  }
});
