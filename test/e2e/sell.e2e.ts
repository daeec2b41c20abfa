/**
 * Selling in a browser, as a newcomer would: sign up through the form, put an auction up with two
 * photos (previewed, then uploaded; a refused reserve shown first), and a flash sale. Another person
 * finds the auction by searching the listing and watches it; the seller's own page lists both and
 * cancels each after asking why.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { makePng } from '../helpers/images.js';
import { PASSWORD } from './api.js';
import { accountLink, expect, expectAccessible, loaded, test } from './fixtures.js';

/** Unique per run, so the search finds this test's auction and nothing else. */
const word = `clock${randomUUID().slice(0, 8)}`;

async function signUpThroughForm(page: Page, displayName: string): Promise<void> {
  await page.goto('/sign-up');
  await loaded(page, 'Create an account');
  await expectAccessible(page);
  await page.getByLabel('Name others see').fill(displayName);
  await page.getByLabel('Email').fill(`${word}-${displayName.split(' ')[0]!.toLowerCase()}@example.test`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(accountLink(page, { displayName })).toBeVisible();
}

test('sign up, sell an auction with two photos and a flash sale, found by search and watched', async ({
  app,
  browser,
  baseURL,
  person,
}) => {
  const context = await browser.newContext({ baseURL, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  await signUpThroughForm(page, 'Sam Seller');

  await page.getByRole('link', { name: 'Sell', exact: true }).click();
  await loaded(page, 'Sell at auction');
  await page.getByLabel('Title').fill(`Brass ship ${word}`);
  await page.getByLabel('Description').fill('Keeps time, chimes the watches.');
  await page.getByLabel('Category').selectOption('antiques');
  await page.getByLabel('Currency').selectOption('JPY');
  await page.getByLabel('Starting price (JPY)').fill('1500');
  await page.getByLabel(/Reserve/).fill('1000'); // below the start: the API refuses it
  await page.getByLabel('Runs for').selectOption('1d');
  await page.getByLabel("Buyer's premium (%)").fill('2.5');
  await page.getByLabel(/Add pictures/).setInputFiles([
    { name: 'front.png', mimeType: 'image/png', buffer: makePng(40, 30) },
    { name: 'back.png', mimeType: 'image/png', buffer: makePng(20, 20) },
  ]);
  await expect(page.getByTestId('image-preview')).toHaveCount(2);
  await expect(page.getByRole('img', { name: 'front.png' })).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Create the auction' }).click();
  await expect(page.getByRole('alert')).toContainText('VALIDATION');
  await page.getByLabel(/Reserve/).fill('');
  await page.getByRole('button', { name: 'Create the auction' }).click();
  await page.waitForURL(/\/auctions\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  const auctionId = page.url().split('/').pop()!;
  await loaded(page, `Brass ship ${word}`);
  await expect(page.getByRole('img', { name: /photo 1 of 2/ })).toBeVisible();
  const auction = await app.expect<Record<string, unknown> & { images: { width: number }[] }>(
    200,
    `/v1/auctions/${auctionId}`,
    { method: 'GET' },
  );
  expect(auction).toMatchObject({ currency: 'JPY', startingPrice: 1500, category: 'antiques', buyersPremiumBps: 250 });
  expect(auction.images.map((image) => image.width)).toEqual([40, 20]);

  await page.goto('/sell/sale');
  await loaded(page);
  await page.getByLabel('Title').fill(`Enamel pins ${word}`);
  await page.getByLabel('Currency').selectOption('EUR');
  await page.getByLabel('Price per unit (EUR)').fill('4.50');
  await page.getByLabel('Units in stock').fill('25');
  await page.getByLabel('Most units per person').fill('2');
  await page.getByLabel(/Hold claimed units/).fill('5');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Create the sale' }).click();
  await page.waitForURL(/\/sales\/[0-9a-f-]{36}$/);
  const sale = await app.expect<Record<string, unknown>>(200, `/v1/sales/${page.url().split('/').pop()!}`, {
    method: 'GET',
  });
  expect(sale).toMatchObject({ price: 450, stock: 25, perUserLimit: 2, holdSeconds: 300 });

  // Someone else searches the listing (its read model follows a new auction within moments) and watches it.
  const buyer = await person(await app.signUp('Bea Buyer'));
  await buyer.goto('/');
  await loaded(buyer, 'Browse');
  await expect(async () => {
    await buyer.getByRole('searchbox', { name: 'Search' }).fill(word);
    await buyer.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(buyer.getByRole('link', { name: new RegExp(`Brass ship ${word}`) })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expectAccessible(buyer);
  await buyer.getByRole('link', { name: new RegExp(`Brass ship ${word}`) }).click();
  await loaded(buyer, `Brass ship ${word}`);
  await buyer.getByRole('button', { name: 'Watch', exact: true }).click();
  await expect(buyer.getByRole('button', { name: 'Watching' })).toHaveAttribute('aria-pressed', 'true');
  await buyer.goto('/me/watchlist');
  await expect(buyer.getByRole('link', { name: `Brass ship ${word}` })).toBeVisible();
  await expectAccessible(buyer);

  // The seller's own page lists both and cancels each after asking why.
  await page.goto('/selling');
  await loaded(page, 'My selling');
  const listed = page.getByTestId('my-auction').filter({ hasText: `Brass ship ${word}` });
  await listed.getByRole('button', { name: 'Cancel…' }).click();
  await listed.getByLabel('Why are you cancelling?').fill('Sold it elsewhere');
  await listed.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(listed.getByTestId('status')).toContainText('Cancelled');
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('my-sale').filter({ hasText: `Enamel pins ${word}` })).toBeVisible({
      timeout: 1000,
    });
  }).toPass({ timeout: 15_000 });
  const listedSale = page.getByTestId('my-sale').filter({ hasText: `Enamel pins ${word}` });
  await listedSale.getByRole('button', { name: 'Cancel…' }).click();
  await listedSale.getByLabel('Why are you cancelling?').fill('Out of stock');
  await listedSale.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(listedSale.getByTestId('status')).toContainText('Cancelled');
  await expect(page.getByText('No payouts yet.')).toBeVisible();
  await expectAccessible(page);
  await context.close();
});
