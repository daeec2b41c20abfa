/**
 * Driving SSO sign-ins in tests: the "front door" (the public address the provider knows as the redirect
 * URI, forwarding to the API as a proxy would — the API's own port is known only once it listens, after
 * its config was read), and a browser walking the whole flow: the API's start, the provider's login and
 * consent pages, and the way back.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Hop } from './browser.js';

export interface FrontDoor {
  url: string;
  /** Where requests are forwarded (the API's URL); set once the API listens. */
  target: string;
  close(): Promise<void>;
}

/** Answers every request with a 307 to the same path and query at `target`. */
export async function startFrontDoor(): Promise<FrontDoor> {
  const door: FrontDoor = { url: '', target: '', close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    res.writeHead(307, { location: `${door.target}${req.url ?? '/'}` }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  door.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  door.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return door;
}

export interface SsoWalk {
  /** The API's start answer (302 to the provider, with the binding cookie). */
  start: Hop;
  /** The provider's redirect back: the redirect URI with code and state (or error). */
  callbackUrl: string;
}

/**
 * From the API's start to the provider's redirect back, logging in at the provider as `login`, and
 * giving consent when asked. Stops before the callback, so a test can deliver it as it likes.
 */
export async function walkToCallback(
  browser: Browser,
  startUrl: string,
  login: string,
  redirectUri: string,
): Promise<SsoWalk> {
  const isCallback = (location: string) => location.startsWith(redirectUri);
  const start = await browser.request(startUrl);
  assert.equal(start.status, 302, `start: ${start.status} ${start.text}`);
  let page = await browser.follow(start.location!, isCallback);
  for (let step = 0; page.status === 200; step++) {
    assert.ok(step < 3, `still on the provider's pages: ${page.url}`);
    // The login form has a login field; the consent form only its hidden prompt.
    const fields: Record<string, string> = page.text.includes('name="login"') ? { login, password: 'unused' } : {};
    page = await browser.submitForm(page, fields, isCallback);
  }
  assert.ok(page.location && isCallback(page.location), `no redirect back: ${page.status} ${page.text.slice(0, 300)}`);
  return { start, callbackUrl: page.location };
}

/** The provider's login page for a fresh sign-in (to abandon it there, say). */
export async function walkToLoginPage(browser: Browser, startUrl: string): Promise<Hop> {
  const start = await browser.request(startUrl);
  assert.equal(start.status, 302, `start: ${start.status} ${start.text}`);
  const page = await browser.follow(start.location!);
  assert.ok(page.text.includes('name="login"'), `not the login page: ${page.url}`);
  return page;
}
