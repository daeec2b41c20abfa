/**
 * A flash sale with three units, watched from two browsers: a claim in one lowers what the other shows
 * as available, live; when the last units are held the sale is sold out on both screens, and the one
 * who missed out joins the waitlist and is told their place in it.
 */
import { expect, expectAccessible, test } from './fixtures.js';

test('a flash sale: live stock, sold out on both screens, the waitlist', async ({ app, person }) => {
  const seller = await app.signUp('Sam Seller');
  const [ann, ben, cat, dan] = await Promise.all(
    ['Ann Buyer', 'Ben Buyer', 'Cat Buyer', 'Dan Buyer'].map((name) => app.signUp(name)),
  );
  const sale = await app.createSale(seller, { title: 'Three hand-bound notebooks', stock: 3, perUserLimit: 1 });
  const annPage = await person(ann!, `/sales/${sale.id}`);
  const benPage = await person(ben!, `/sales/${sale.id}`);
  for (const page of [annPage, benPage]) {
    await expect(page.getByRole('heading', { level: 1, name: 'Three hand-bound notebooks' })).toBeVisible();
    await expect(page.getByTestId('available')).toHaveText('3');
    await expectAccessible(page);
  }

  // Ann claims one through the page: it is held for her, and Ben sees two left without reloading.
  await annPage.getByLabel('Quantity').fill('1');
  await annPage.getByRole('button', { name: 'Claim' }).click();
  await expect(annPage.getByTestId('claim')).toContainText('1 held for you');
  await expect(annPage.getByRole('button', { name: 'Pay now' })).toBeVisible();
  await expect(benPage.getByTestId('available')).toHaveText('2');
  await expectAccessible(annPage);

  // The other two go through the API: sold out, on both screens.
  await app.claim(cat!, sale.id);
  await app.claim(dan!, sale.id);
  for (const page of [annPage, benPage]) {
    await expect(page.getByTestId('available')).toHaveText('0');
    await expect(page.getByText('Flash sale · Sold out')).toBeVisible();
  }
  await expect(annPage.getByTestId('claim')).toContainText('1 held for you');

  // Ben joins the waitlist (held units may come back) and sees his place in it.
  await expect(benPage.getByRole('button', { name: 'Claim' })).toHaveCount(0);
  await benPage.getByRole('button', { name: 'Join the waitlist' }).click();
  await expect(benPage.getByTestId('waitlist-position')).toContainText('You are number 1 on the waitlist');
  await expectAccessible(benPage);
});
