/**
 * The selling pages in a real browser (headless Chromium) against the real API: an auction created
 * through the form with two pictures uploaded after it, a validation error shown, a flash sale
 * created, and "My selling" listing both with their cancel actions. Skipped where no Chromium is.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { makePng } from './helpers/images.js';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'correct horse battery staple';
const skip = fs.existsSync(CHROMIUM) ? false : 'no Chromium at /usr/bin/chromium';

let database: TestDatabase;
let api: TestApi;
let browser: Browser;
let page: Page;
let email: string;

before(async () => {
  if (skip) return;
  database = await createTestDatabase();
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: `web-selling-${randomUUID()}` });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = await (await browser.newContext()).newPage(); // axe asks for a page of a context made here
  email = `seller-${randomUUID()}@example.com`;
  const created = await fetch(`${api.url}/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, displayName: 'Sam Seller' }),
  });
  assert.equal(created.status, 201);
});

after(async () => {
  await browser?.close();
  await api?.close();
  await database?.drop();
});

/** axe's serious and critical findings on the page as it is now: there should be none. */
async function assertAccessible(): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
  );
}

async function signIn(next: string): Promise<void> {
  await page.goto(`${api.url}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${api.url}${next}`);
}

test('a signed-out visitor is asked to sign in on each selling page', { skip }, async () => {
  for (const path of ['/sell', '/sell/sale', '/selling']) {
    await page.goto(`${api.url}${path}`);
    await page.getByRole('link', { name: 'Sign in', exact: true }).last().waitFor();
  }
});

test('an auction is created through the form, then its two pictures are uploaded', { skip }, async () => {
  await signIn('/sell');
  await page.getByRole('heading', { level: 1, name: 'Sell at auction' }).waitFor();
  await page.getByLabel('Title').fill('Brass ship clock');
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
  await page.getByRole('img', { name: 'back.png' }).waitFor();
  assert.equal(await page.getByTestId('image-preview').count(), 2);
  assert.match(
    (await page.getByRole('img', { name: 'front.png' }).getAttribute('src')) ?? '',
    /^data:image\/png;base64,/,
  );

  await page.getByRole('button', { name: 'Create the auction' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /VALIDATION/);

  await page.getByLabel(/Reserve/).fill('');
  await page.getByRole('button', { name: 'Create the auction' }).click();
  await page.waitForURL(/\/auctions\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  const id = page.url().split('/').pop()!;
  const auction = (await (await fetch(`${api.url}/v1/auctions/${id}`)).json()) as {
    title: string;
    currency: string;
    startingPrice: number;
    category: string;
    buyersPremiumBps: number;
    paymentWindowSeconds: number;
    images: { width: number }[];
  };
  assert.equal(auction.title, 'Brass ship clock');
  assert.equal(auction.currency, 'JPY');
  assert.equal(auction.startingPrice, 1500);
  assert.equal(auction.category, 'antiques');
  assert.equal(auction.buyersPremiumBps, 250);
  assert.equal(auction.paymentWindowSeconds, 72 * 3600);
  assert.deepEqual(
    auction.images.map((image) => image.width),
    [40, 20],
  );
  await page.getByRole('heading', { level: 1, name: 'Brass ship clock' }).waitFor();
});

test('a flash sale is created through the form', { skip }, async () => {
  await page.goto(`${api.url}/sell/sale`);
  await page.getByLabel('Title').fill('Enamel pins');
  await page.getByLabel('Currency').selectOption('EUR');
  await page.getByLabel('Price per unit (EUR)').fill('4.50');
  await page.getByLabel('Units in stock').fill('25');
  await page.getByLabel('Most units per person').fill('2');
  await page.getByLabel(/Hold claimed units/).fill('5');
  await assertAccessible();
  await page.getByRole('button', { name: 'Create the sale' }).click();
  await page.waitForURL(/\/sales\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop()!;
  const sale = (await (await fetch(`${api.url}/v1/sales/${id}`)).json()) as Record<string, unknown>;
  assert.equal(sale.price, 450);
  assert.equal(sale.stock, 25);
  assert.equal(sale.perUserLimit, 2);
  assert.equal(sale.holdSeconds, 300);
});

test('My selling lists both, cancels each after asking why, and shows the payouts', { skip }, async () => {
  await page.goto(`${api.url}/selling`);
  await page.getByRole('heading', { level: 1, name: 'My selling' }).waitFor();
  const auction = page.getByTestId('my-auction').filter({ hasText: 'Brass ship clock' });
  await auction.waitFor();
  await auction.getByRole('button', { name: 'Cancel…' }).click();
  await auction.getByLabel('Why are you cancelling?').fill('Sold it elsewhere');
  await auction.getByRole('button', { name: 'Yes, cancel it' }).click();
  await auction.getByTestId('status').filter({ hasText: 'Cancelled' }).waitFor();

  // The listing's read model follows the sale's creation a moment later.
  let sale = page.getByTestId('my-sale').filter({ hasText: 'Enamel pins' });
  for (let i = 0; i < 20 && (await sale.count()) === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    await page.reload();
    sale = page.getByTestId('my-sale').filter({ hasText: 'Enamel pins' });
  }
  await sale.getByRole('button', { name: 'Cancel…' }).click();
  await sale.getByLabel('Why are you cancelling?').fill('Out of stock');
  await sale.getByRole('button', { name: 'Yes, cancel it' }).click();
  await sale.getByTestId('status').filter({ hasText: 'Cancelled' }).waitFor();
  await page.getByText('No payouts yet.').waitFor();
  await assertAccessible();
  if (process.env.WEB_SCREENSHOTS) {
    await page.setViewportSize({ width: 390, height: 900 });
    await page.screenshot({ path: `${process.env.WEB_SCREENSHOTS}/selling-phone.png`, fullPage: true });
    await page.goto(`${api.url}/sell`);
    await page.screenshot({ path: `${process.env.WEB_SCREENSHOTS}/sell-phone.png`, fullPage: true });
  }
});
