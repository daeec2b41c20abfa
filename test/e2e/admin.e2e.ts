/**
 * The admin area in a real browser: an admin (by ADMIN_EMAILS) finds an account, blocks it (its bid is
 * then refused with ACCOUNT_BLOCKED) and unblocks it; voids a bidder's bids from the auction page's
 * bidders panel (the price and lead move back); defines a promotion and pauses it; and finds each of
 * those in the audit log. Someone who is not an admin sees no Admin link and no admin page.
 */
import type { Page } from '@playwright/test';
import { expect, expectAccessible, loaded, test } from './fixtures.js';

const HOUR = 3_600_000;

async function showAuditUntil(page: Page, text: RegExp): Promise<void> {
  const log = page.getByTestId('audit-log');
  await expect(async () => {
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(log).toContainText(text, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

test('an admin blocks and unblocks, voids bids, runs a promotion and reads it all in the audit log', async ({
  app,
  person,
}) => {
  const admin = await app.admin();
  const [seller, bea, cy] = await Promise.all([app.signUp('Sam Seller'), app.signUp('Bea'), app.signUp('Cy')]);
  const auction = await app.createAuction(seller, {
    title: 'A carriage clock',
    endsAt: new Date(Date.now() + HOUR).toISOString(),
  });
  await app.bid(bea, auction.id, 2_000);
  await app.bid(cy, auction.id, 3_000);

  const someone = await person(bea);
  await expect(someone.getByRole('banner').getByRole('link', { name: 'Admin', exact: true })).toHaveCount(0);
  await someone.goto('/admin');
  await expect(someone.getByText('This page is for admins.')).toBeVisible();

  const page = await person(admin);
  await page.getByRole('banner').getByRole('link', { name: 'Admin', exact: true }).click();
  await loaded(page, 'Admin');
  await expectAccessible(page);

  // Block, and the bidder's next bid is refused; unblock, and it is taken.
  const accounts = page.getByRole('form', { name: 'Find an account' });
  await accounts.getByLabel('User id').fill(bea.id);
  await accounts.getByRole('button', { name: 'Find' }).click();
  await expect(page.getByTestId('account-block')).toHaveText('not blocked');
  const block = page.getByRole('form', { name: 'Block the account' });
  await block.getByLabel('Reason').fill('shill bidding');
  await block.getByRole('button', { name: 'Block' }).click();
  await expect(page.getByTestId('account-block')).toContainText('shill bidding');
  const refused = await app.call<{ error: { code: string } }>(`/v1/auctions/${auction.id}/bids`, {
    token: bea.token,
    body: { amount: 5_000 },
  });
  expect([refused.status, refused.body.error.code]).toEqual([403, 'ACCOUNT_BLOCKED']);
  const unblock = page.getByRole('form', { name: 'Unblock the account' });
  await unblock.getByLabel('Reason').fill('appeal upheld');
  await unblock.getByRole('button', { name: 'Unblock' }).click();
  await expect(page.getByTestId('account-block')).toHaveText('not blocked');

  // Void Cy's bids from the auction page: Bea leads again at the starting price.
  await page.goto(`/auctions/${auction.id}`);
  await loaded(page, 'A carriage clock');
  await expect(page.getByTestId('current-price')).toHaveText('$20.50');
  await page.getByRole('button', { name: "Void Bidder 2's bids…" }).click();
  const voiding = page.getByRole('form', { name: "Void Bidder 2's bids" });
  await voiding.getByLabel('Why (kept in the audit log)').fill('shill bidding');
  await voiding.getByRole('button', { name: 'Void' }).click();
  await expect(page.getByTestId('current-price')).toHaveText('$10.00');
  await expect(page.getByTestId('retracted')).toContainText("Bidder 2's bids were taken back");

  // A promotion on this auction, defined and paused from the admin page.
  await page.goto('/admin');
  await loaded(page, 'Admin');
  const form = page.getByRole('form', { name: 'New promotion' });
  await form.getByLabel('Every (ISO-8601, e.g. PT1H)').fill('PT1H');
  await form.getByLabel('Budget').fill('50.00');
  await form.getByLabel('Auction id (optional)').fill(auction.id);
  await form.getByRole('button', { name: 'Create the promotion' }).click();
  const promotions = page.getByTestId('promotions');
  await expect(promotions).toContainText(`auction ${auction.id}`);
  await expect(promotions).toContainText('$50.00 of $50.00');
  await promotions.getByRole('button', { name: 'Pause' }).click();
  await expect(promotions.getByRole('button', { name: 'Resume' })).toBeVisible();

  // The audit log: the block, the unblock, the void (written by the persist cycle), the promotion.
  await showAuditUntil(page, /bids_voided/);
  const log = page.getByTestId('audit-log');
  for (const action of ['user_blocked', 'user_unblocked', 'promotion_created', 'promotion_paused']) {
    await expect(log).toContainText(action);
  }
  await expectAccessible(page);
});
