/**
 * The API serves the built web app: pages a browser navigates to get index.html (never cached), hashed
 * assets are cached for a year, every file carries the strict Content-Security-Policy, and nothing of
 * the API changes: its unknown paths, other methods and API clients still get the JSON error shape.
 * A build of its own in a temporary folder (WEB_APP_DIR), so the test does not depend on web/dist.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from './helpers/api.js';

const INDEX =
  '<!doctype html><html lang="en"><title>Gavel</title><script type="module" src="/assets/index-abc123.js"></script></html>';
const ASSET = 'console.log("app")';
const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('the web app served by the API', () => {
  let api: TestApi;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gavel-web-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), INDEX);
    fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), ASSET);
    fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    api = await startTestApi({ WEB_APP_DIR: dir, S3_PUBLIC_BASE_URL: 'https://images.example.com/gavel' });
  });
  after(async () => {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('when a browser opens /, then it gets index.html, revalidated every time, under the strict policy', async () => {
    const response = await fetch(`${api.url}/`, { headers: html });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.equal(await response.text(), INDEX);
    const policy = Object.fromEntries(
      (response.headers.get('content-security-policy') ?? '').split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    assert.deepEqual(policy, {
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data: https://images.example.com",
      'connect-src': "'self'",
      'font-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
  });

  test("when a browser opens one of the app's own paths, then it gets the same index.html (the app routes it)", async () => {
    for (const page of ['/auctions/0b1c', '/me/orders', '/orders/abc?checkout=success', '/sell/sale']) {
      const response = await fetch(`${api.url}${page}`, { headers: html });
      assert.equal(response.status, 200, page);
      assert.equal(await response.text(), INDEX, page);
    }
  });

  test('when a hashed asset is asked for, then it is cached for a year and immutable', async () => {
    const response = await fetch(`${api.url}/assets/index-abc123.js`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(response.headers.get('content-type') ?? '', /javascript/);
    assert.ok(response.headers.get('content-security-policy'));
    assert.equal(await response.text(), ASSET);
  });

  test('when a browser accepts gzip, then the app is sent compressed', async () => {
    const large = `console.log(${JSON.stringify('x'.repeat(4096))})`;
    fs.writeFileSync(path.join(dir, 'assets', 'large-abc123.js'), large);
    const response = await fetch(`${api.url}/assets/large-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-encoding'), 'gzip');
    assert.equal(await response.text(), large, 'fetch undoes the gzip: the same file');
    const page = await fetch(`${api.url}/auctions/0b1c`, { headers: { ...html, 'accept-encoding': 'gzip' } });
    assert.equal(await page.text(), INDEX);
  });

  test('when an asset does not exist, then the answer is the JSON 404, not the page', async () => {
    const response = await fetch(`${api.url}/assets/index-gone.js`, { headers: html });
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
  });

  test('when the favicon is asked for, then it is served from the build', async () => {
    const response = await fetch(`${api.url}/favicon.svg`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /image\/svg\+xml/);
  });

  test("when a path is the API's, or the client is not a browser, or the method is not GET, then the API answers as before", async () => {
    const apiPath = await fetch(`${api.url}/v1/no-such-thing`, { headers: html });
    assert.equal(apiPath.status, 404);
    assert.match(apiPath.headers.get('content-type') ?? '', /application\/json/);
    const notBrowser = await fetch(`${api.url}/auctions/0b1c`, { headers: { accept: 'application/json' } });
    assert.equal(notBrowser.status, 404);
    assert.match(notBrowser.headers.get('content-type') ?? '', /application\/json/);
    const post = await fetch(`${api.url}/auctions/0b1c`, {
      method: 'POST',
      headers: { ...html, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(post.status, 404);
    const listing = await fetch(`${api.url}/v1/auth/sso`, { headers: html });
    assert.equal(listing.status, 200);
    assert.match(listing.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(listing.headers.get('content-security-policy'), null, 'the API answers are not the app');
  });
});

describe('without a built web app', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ WEB_APP_DIR: path.join(os.tmpdir(), 'gavel-no-such-build') });
  });
  after(() => api.close());

  test('when a browser opens /, then the API answers its JSON 404 and runs as before', async () => {
    const response = await fetch(`${api.url}/`, { headers: html });
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    assert.equal((await fetch(`${api.url}/healthz`)).status, 200);
  });
});
