/**
 * The screenshots in docs/screenshots/: the main pages with real data (auctions with photos and bids, a
 * flash sale with a claim, an order) at a desktop (1280×800) and a phone (390×844) viewport, full page.
 * Not part of the test run: `npm run screenshots` (GAVEL_SCREENSHOTS=1) runs it on a fresh test stack
 * and overwrites the PNGs; commit them with the change that altered the pages.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import type { Api, User } from './api.js';
import { expect, loaded, signInThroughForm, test } from './fixtures.js';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

test.skip(!process.env.GAVEL_SCREENSHOTS, 'writes docs/screenshots/: run it with npm run screenshots');

/** A photo-like PNG for a lot (a lit gradient and a silhouette), drawn by the browser itself. */
async function photo(browser: Browser, hue: number, shape: string): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  await page.setContent(
    `<body style="margin:0"><svg width="800" height="600" xmlns="http://www.w3.org/2000/svg">
      <defs><radialGradient id="light" cx="35%" cy="30%" r="80%">
        <stop offset="0" stop-color="hsl(${hue} 45% 82%)"/><stop offset="1" stop-color="hsl(${hue} 35% 28%)"/>
      </radialGradient></defs>
      <rect width="800" height="600" fill="url(#light)"/>
      <ellipse cx="400" cy="520" rx="260" ry="36" fill="rgba(0,0,0,.25)"/>
      <g fill="hsl(${(hue + 30) % 360} 40% 22%)" stroke="hsl(${hue} 30% 90%)" stroke-width="4">${shape}</g>
    </svg></body>`,
  );
  const png = await page.locator('svg').screenshot();
  await page.close();
  return png;
}

const SHAPES = {
  clock: '<circle cx="400" cy="290" r="170"/><path d="M400 290V180M400 290h80" stroke-width="12"/>',
  vase: '<path d="M340 500c-80-120-40-220 20-280v-60h80v60c60 60 100 160 20 280z"/>',
  chair: '<path d="M300 120h200v220h-200zM290 340h220v40h-220zM300 380v120M500 380v120" />',
  camera: '<rect x="230" y="220" width="340" height="220" rx="24"/><circle cx="400" cy="330" r="80"/>',
};

async function seed(app: Api, browser: Browser): Promise<{ ann: User; auctionId: string; saleId: string }> {
  const [sam, ann, ben, cat] = await Promise.all(
    ['Sam Okafor', 'Ann Lindqvist', 'Ben Moreau', 'Cat Ferreira'].map((name) => app.signUp(name)),
  );
  const lot = async (title: string, hours: number, shapes: [number, string][], bids: [User, number][]) => {
    const auction = await app.createAuction(sam!, {
      title,
      description: `${title}: in good order for its age, with the wear you would expect. Collection only, or insured post.`,
      category: 'antiques',
      startingPrice: 5000,
      buyersPremiumBps: 1000,
      endsAt: new Date(Date.now() + hours * 3600_000).toISOString(),
      softClose: { windowSeconds: 120, extendSeconds: 120 },
    });
    for (const [hue, shape] of shapes) await app.addImage(sam!, auction.id, await photo(browser, hue, shape));
    for (const [bidder, amount] of bids) await app.bid(bidder, auction.id, amount);
    return auction.id;
  };
  const auctionId = await lot(
    'A brass carriage clock, c. 1890',
    26,
    [
      [38, SHAPES.clock],
      [28, SHAPES.clock],
      [48, SHAPES.clock],
    ],
    [
      [ben!, 6000],
      [ann!, 9000],
      [cat!, 8000],
    ],
  );
  await lot('A celadon vase', 3, [[150, SHAPES.vase]], [[ann!, 5000]]);
  await lot('An oak ladder-back chair', 50, [[20, SHAPES.chair]], [[cat!, 12000]]);
  await lot('A 1950s rangefinder camera', 0.75, [[210, SHAPES.camera]], []);
  const sale = await app.createSale(sam!, {
    title: 'Beeswax candles, box of six',
    description: 'Hand-dipped, unscented. One box per person.',
    category: 'home',
    price: 1800,
    stock: 40,
    perUserLimit: 1,
  });
  await app.claim(ann!, sale.id);
  await app.claim(ben!, sale.id);
  return { ann: ann!, auctionId, saleId: sale.id };
}

async function allImagesLoaded(page: Page): Promise<void> {
  await page.waitForFunction('[...document.images].every((image) => image.complete && image.naturalWidth > 0)');
}

test('screenshots of the main pages, desktop and phone', async ({ app, browser, baseURL }) => {
  const { ann, auctionId, saleId } = await seed(app, browser);
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    const context = await browser.newContext({ baseURL, viewport, locale: 'en-US', timezoneId: 'UTC' });
    const page = await context.newPage();
    const shoot = async (file: string, url: string, heading?: string, ready?: () => Promise<void>) => {
      await page.goto(url);
      await loaded(page, heading);
      await ready?.();
      await allImagesLoaded(page);
      await page.screenshot({ path: path.join(OUT, `${file}-${name}.png`), fullPage: true });
    };
    await shoot('sign-in', '/sign-in', 'Sign in');
    await signInThroughForm(page, ann);
    await shoot('listing', '/', 'Browse');
    await shoot('auction', `/auctions/${auctionId}`, 'A brass carriage clock, c. 1890', () =>
      expect(page.getByRole('table').getByRole('row')).toHaveCount(4),
    );
    await shoot('sale', `/sales/${saleId}`, 'Beeswax candles, box of six');
    await shoot('my-bids', '/me/bids');
    await shoot('orders', '/me/orders');
    await context.close();
  }
});
