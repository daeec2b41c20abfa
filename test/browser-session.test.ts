/**
 * The web app's session over real HTTP: sign-in sets the refresh token as an HttpOnly, SameSite=Strict
 * cookie scoped to the session routes and answers the access token only; refresh rotates the cookie
 * (with the JSON route's reuse detection); sign-out revokes it. Requests that may come from another
 * site (no X-Gavel-Client, a foreign Origin, Sec-Fetch-Site cross-site) are refused and change nothing.
 * SSO started with client=web ends with the cookie and a 303 to the app, or a 303 with the error.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from './helpers/api.js';
import { Browser, type Hop } from './helpers/browser.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, type ErrorJson } from './helpers/http.js';
import { startOidcProvider, type TestProvider } from './helpers/oidc-provider.js';
import { startFrontDoor, walkToCallback, walkToLoginPage, type FrontDoor } from './helpers/sso.js';

const PASSWORD = 'correct horse battery staple';
const REFRESH_TTL_SECONDS = 30 * 24 * 3600; // the default REFRESH_TOKEN_TTL_SECONDS
const ACME_SECRET = randomBytes(24).toString('base64url');
const WEB = { 'x-gavel-client': 'web' };

let database: TestDatabase;
let api: TestApi;
/** Behind a proxy it trusts (TRUST_PROXY=loopback), with a tight sign-in budget per account. */
let proxied: TestApi;
let door: FrontDoor;
let acme: TestProvider;

const callbackOf = (doorUrl: string) => `${doorUrl}/v1/auth/sso/acme/callback`;

before(async () => {
  database = await createTestDatabase();
  door = await startFrontDoor();
  acme = await startOidcProvider({
    claimsInIdToken: true,
    clients: [{ clientId: 'gavel', clientSecret: ACME_SECRET, redirectUris: [callbackOf(door.url)] }],
  });
  const providers = [
    {
      id: 'acme',
      issuer: acme.issuer,
      clientId: 'gavel',
      clientSecret: ACME_SECRET,
      redirectUri: callbackOf(door.url),
    },
  ];
  api = await startTestApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: `browser-session-${randomUUID()}`,
    OIDC_PROVIDERS: JSON.stringify(providers),
  });
  door.target = api.url;
  proxied = await startTestApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: `browser-session-${randomUUID()}`,
    TRUST_PROXY: 'loopback',
    RATE_LIMIT_SIGN_INS_PER_ACCOUNT: '2/60s',
  });
});
after(async () => {
  await Promise.all([api.close(), proxied.close()]);
  await Promise.all([acme.close(), door.close()]);
  await database.drop();
});

const sessionUrl = (base = api.url) => `${base}/v1/auth/session`;
const refreshUrl = (base = api.url) => `${base}/v1/auth/session/refresh`;

async function newAccount(base = api.url): Promise<{ id: string; email: string }> {
  const email = `web-${randomUUID()}@example.test`;
  const user = await call<{ id: string }>(`${base}/v1/users`, {
    body: { email, password: PASSWORD, displayName: 'W' },
  });
  assert.equal(user.status, 201);
  return { id: user.body.id, email };
}

/** A POST with a JSON body, as the app's fetch sends it, in `browser` (which keeps the cookie). */
const postJson = (browser: Browser, url: string, json: unknown, headers: Record<string, string> = WEB) =>
  browser.request(url, { method: 'POST', json, headers });

const signIn = (browser: Browser, email: string, headers: Record<string, string> = WEB, base = api.url) =>
  postJson(browser, sessionUrl(base), { email, password: PASSWORD }, headers);
const refresh = (browser: Browser, headers: Record<string, string> = WEB) =>
  browser.request(refreshUrl(), { method: 'POST', headers });
const signOut = (browser: Browser, headers: Record<string, string> = WEB) =>
  browser.request(sessionUrl(), { method: 'DELETE', headers });

const bodyOf = <T>(hop: Hop) => JSON.parse(hop.text) as T;
const sessionCookie = (browser: Browser) =>
  browser.cookiesFor(refreshUrl()).find(({ name }) => name === 'gavel_session')?.value;
const me = (token: string) => call<{ id: string }>(`${api.url}/v1/users/me`, { token });

interface AccessJson {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
}

/** The Set-Cookie of gavel_session, as attribute name (lowercased) → value. */
function sessionSetCookie(hop: Hop): { value: string; attributes: Map<string, string> } {
  const header = hop.setCookies.find((one) => one.startsWith('gavel_session='));
  assert.ok(header, `no gavel_session cookie in ${JSON.stringify(hop.setCookies)}`);
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  return {
    value: pair!.slice('gavel_session='.length),
    attributes: new Map(
      attributes.map((attribute) => {
        const [name = '', ...value] = attribute.split('=');
        return [name.toLowerCase(), value.join('=')];
      }),
    ),
  };
}

function assertAccessAnswer(hop: Hop): AccessJson {
  assert.equal(hop.status, 200, hop.text);
  assert.equal(hop.headers.get('cache-control'), 'no-store');
  const body = bodyOf<AccessJson>(hop);
  assert.deepEqual(Object.keys(body).sort(), ['accessToken', 'expiresIn', 'tokenType'], 'never the refresh token');
  assert.equal(body.tokenType, 'Bearer');
  return body;
}

function assertError(hop: Hop, status: number, code: string) {
  assert.equal(hop.status, status, hop.text);
  assert.equal(bodyOf<ErrorJson>(hop).error.code, code, hop.text);
  assert.equal(hop.headers.get('cache-control'), 'no-store');
}

describe('signing in', () => {
  test('when the app signs in, then the refresh token is set as an HttpOnly, SameSite=Strict cookie for the session routes only, and the JSON has the access token only', async () => {
    const { id, email } = await newAccount();
    const browser = new Browser();
    const hop = await signIn(browser, email);
    const access = assertAccessAnswer(hop);
    assert.equal((await me(access.accessToken)).body.id, id);
    const cookie = sessionSetCookie(hop);
    assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(!hop.text.includes(cookie.value), 'the refresh token is not in the body');
    assert.deepEqual(
      [...cookie.attributes.keys()].sort(),
      ['expires', 'httponly', 'max-age', 'path', 'samesite'],
      'no Secure over plain http',
    );
    assert.equal(cookie.attributes.get('path'), '/v1/auth/session');
    assert.equal(cookie.attributes.get('samesite'), 'Strict');
    assert.equal(cookie.attributes.get('max-age'), String(REFRESH_TTL_SECONDS));
  });

  test("when the app signs in, then a readable hint cookie (no secret, Path=/) says a session may exist, with the session cookie's lifetime; signing out clears it", async () => {
    const { email } = await newAccount();
    const browser = new Browser();
    const hop = await signIn(browser, email);
    assertAccessAnswer(hop);
    const hint = hop.setCookies.find((one) => one.startsWith('gavel_signed_in='));
    assert.ok(hint, JSON.stringify(hop.setCookies));
    assert.match(hint, /^gavel_signed_in=1; Max-Age=\d+; Path=\/; Expires=[^;]+; SameSite=Strict$/);
    assert.equal(/Max-Age=(\d+)/.exec(hint)?.[1], String(REFRESH_TTL_SECONDS));
    const out = await signOut(browser);
    assert.ok(
      out.setCookies.some((one) => /^gavel_signed_in=;.*Path=\/;/.test(one)),
      JSON.stringify(out.setCookies),
    );
  });

  test('when the request came over https through a trusted proxy, then the cookie is Secure', async () => {
    const { email } = await newAccount(proxied.url);
    const hop = await signIn(new Browser(), email, { ...WEB, 'x-forwarded-proto': 'https' }, proxied.url);
    assertAccessAnswer(hop);
    assert.equal(sessionSetCookie(hop).attributes.has('secure'), true);
  });

  test('when the password is wrong, then 401 INVALID_CREDENTIALS and no cookie; the failures count in the sign-in budget shared with POST /v1/auth/token', async () => {
    const { email } = await newAccount(proxied.url);
    const browser = new Browser();
    const wrong = { email, password: 'not the password' };
    const first = await postJson(browser, sessionUrl(proxied.url), wrong);
    assertError(first, 401, 'INVALID_CREDENTIALS');
    assert.deepEqual(first.setCookies, []);
    assert.equal((await call(`${proxied.url}/v1/auth/token`, { body: wrong })).status, 401);
    const third = await postJson(browser, sessionUrl(proxied.url), wrong);
    assert.equal(third.status, 429, third.text);
    assert.equal(bodyOf<ErrorJson>(third).error.code, 'RATE_LIMITED');
  });

  test('when the body is not valid, then 400 VALIDATION, as POST /v1/auth/token', async () => {
    const hop = await postJson(new Browser(), sessionUrl(), { email: 'not-an-email', password: PASSWORD });
    assertError(hop, 400, 'VALIDATION');
  });
});

describe('refreshing', () => {
  test('when the app refreshes, then a new access token comes back and the cookie rotates; the old cookie is then refused, and that reuse revokes the family', async () => {
    const { id, email } = await newAccount();
    const browser = new Browser();
    await signIn(browser, email);
    const first = sessionCookie(browser)!;
    const hop = await refresh(browser);
    const access = assertAccessAnswer(hop);
    assert.equal((await me(access.accessToken)).body.id, id);
    const second = sessionSetCookie(hop);
    assert.notEqual(second.value, first);
    assert.equal(second.attributes.get('path'), '/v1/auth/session');
    assert.equal(second.attributes.get('max-age'), String(REFRESH_TTL_SECONDS));

    // Someone replays the first cookie (a copy taken earlier): refused, and the cookie is cleared.
    const thief = new Browser();
    thief.accept(sessionUrl(), [`gavel_session=${first}; Path=/v1/auth/session`]);
    const replay = await refresh(thief);
    assertError(replay, 401, 'INVALID_REFRESH_TOKEN');
    assert.match(replay.setCookies[0] ?? '', /^gavel_session=;.*Expires=Thu, 01 Jan 1970/);
    assert.equal(sessionCookie(thief), undefined);
    // Reuse revoked the family: the owner's newer cookie stops working too (both must sign in again).
    assertError(await refresh(browser), 401, 'INVALID_REFRESH_TOKEN');
  });

  test('when refreshes follow one another, then each works with the cookie the last one set', async () => {
    const { email } = await newAccount();
    const browser = new Browser();
    await signIn(browser, email);
    for (let step = 0; step < 3; step++) assertAccessAnswer(await refresh(browser));
  });

  test('when there is no cookie, or one that is no token, then 401 INVALID_REFRESH_TOKEN and the cookie is cleared', async () => {
    const none = await refresh(new Browser());
    assertError(none, 401, 'INVALID_REFRESH_TOKEN');
    assert.match(none.setCookies[0] ?? '', /^gavel_session=;/);
    for (const value of ['A'.repeat(43), 'x'.repeat(300), '']) {
      const browser = new Browser();
      browser.accept(sessionUrl(), [`gavel_session=${value}; Path=/v1/auth/session`]);
      assertError(await refresh(browser), 401, 'INVALID_REFRESH_TOKEN');
    }
  });
});

describe('signing out', () => {
  test('when the app signs out, then 204, the cookie is cleared, and the session no longer refreshes', async () => {
    const { email } = await newAccount();
    const browser = new Browser();
    await signIn(browser, email);
    const kept = sessionCookie(browser)!;
    const hop = await signOut(browser);
    assert.equal(hop.status, 204);
    assert.equal(hop.headers.get('cache-control'), 'no-store');
    assert.match(hop.setCookies[0] ?? '', /^gavel_session=;.*Path=\/v1\/auth\/session/);
    assert.equal(sessionCookie(browser), undefined);
    assertError(await refresh(browser), 401, 'INVALID_REFRESH_TOKEN');
    // A copy of the cookie kept from before is revoked too.
    const copy = new Browser();
    copy.accept(sessionUrl(), [`gavel_session=${kept}; Path=/v1/auth/session`]);
    assertError(await refresh(copy), 401, 'INVALID_REFRESH_TOKEN');
  });

  test('when there is no cookie, then 204 all the same', async () => {
    assert.equal((await signOut(new Browser())).status, 204);
  });
});

describe('requests from another site', () => {
  const foreign: [string, Record<string, string>][] = [
    ['without X-Gavel-Client', {}],
    ['with another X-Gavel-Client', { 'x-gavel-client': 'mobile' }],
    ['from another Origin', { ...WEB, origin: 'https://evil.example' }],
    ['from an Origin on another port', { ...WEB, origin: 'http://127.0.0.1:1' }],
    ['from an opaque Origin', { ...WEB, origin: 'null' }],
    ['with Sec-Fetch-Site: cross-site', { ...WEB, 'sec-fetch-site': 'cross-site' }],
    ['with Sec-Fetch-Site: same-site', { ...WEB, 'sec-fetch-site': 'same-site' }],
  ];

  for (const [what, headers] of foreign) {
    test(`when a request comes ${what}, then every session route answers 403 CROSS_SITE_REQUEST and nothing changes`, async () => {
      const { email } = await newAccount();
      const browser = new Browser();
      await signIn(browser, email);
      const before = sessionCookie(browser);

      const signInHop = await signIn(new Browser(), email, headers);
      assertError(signInHop, 403, 'CROSS_SITE_REQUEST');
      assert.deepEqual(signInHop.setCookies, [], 'no session was started');
      const refreshHop = await refresh(browser, headers);
      assertError(refreshHop, 403, 'CROSS_SITE_REQUEST');
      assert.deepEqual(refreshHop.setCookies, []);
      const signOutHop = await signOut(browser, headers);
      assertError(signOutHop, 403, 'CROSS_SITE_REQUEST');
      assert.deepEqual(signOutHop.setCookies, []);

      // The refused refresh did not use the token up, nor the refused sign-out revoke it.
      assert.equal(sessionCookie(browser), before);
      assertAccessAnswer(await refresh(browser));
    });
  }

  test('when the request says it comes from this origin (Origin of this host, Sec-Fetch-Site same-origin or none), then it is served', async () => {
    const { email } = await newAccount();
    const browser = new Browser();
    const sameOrigin = { ...WEB, origin: api.url, 'sec-fetch-site': 'same-origin' };
    assertAccessAnswer(await signIn(browser, email, sameOrigin));
    assertAccessAnswer(await refresh(browser, sameOrigin));
    assertAccessAnswer(await refresh(browser, { ...WEB, 'sec-fetch-site': 'none' }));
    assert.equal((await signOut(browser, sameOrigin)).status, 204);
  });

  test('when a preflight asks for the custom header, then no CORS permission is granted', async () => {
    const response = await fetch(refreshUrl(), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-gavel-client',
      },
    });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal(response.headers.get('access-control-allow-headers'), null);
    await response.arrayBuffer();
  });
});

describe('SSO for the web app', () => {
  const startUrl = () => `${api.url}/v1/auth/sso/acme/start?client=web`;
  const toApi = (url: string) => url.replace(door.url, api.url);
  /** The hop that sends the browser back to the app (the callback's 303). */
  const isApp = (location: string) => new URL(location).pathname === '/';

  test('when the web app starts a sign-in, then the callback sets the session cookie and answers 303 to /, and the app gets its access token by refreshing', async () => {
    acme.accounts.set('wanda', { email: `wanda-${randomUUID()}@example.test`, emailVerified: true });
    const browser = new Browser();
    const { callbackUrl } = await walkToCallback(browser, startUrl(), 'wanda', callbackOf(door.url));
    const hop = await browser.follow(callbackUrl, isApp);
    assert.equal(hop.status, 303, hop.text);
    assert.equal(hop.headers.get('location'), '/');
    assert.equal(hop.headers.get('cache-control'), 'no-store');
    const cookie = sessionSetCookie(hop);
    assert.ok(!hop.text.includes(cookie.value), 'no token in the page');
    assert.ok(!(hop.location ?? '').includes(cookie.value), 'nor in the URL');
    assert.equal(cookie.attributes.get('path'), '/v1/auth/session');
    assert.equal(cookie.attributes.get('samesite'), 'Strict');
    assert.equal(cookie.attributes.has('httponly'), true);
    assert.ok(
      hop.setCookies.some((one) => /^gavel_sso=;/.test(one)),
      'the binding cookie is cleared',
    );
    const access = assertAccessAnswer(await refresh(browser));
    assert.equal((await me(access.accessToken)).status, 200);
  });

  test('when a web sign-in fails at the provider (the user cancels), then 303 to /?signInError=SSO_PROVIDER_ERROR and no session cookie', async () => {
    const browser = new Browser();
    const login = await walkToLoginPage(browser, startUrl());
    const abort = new URL('abort', `${login.url}/`).href;
    const back = await browser.follow(abort, (location) => location.startsWith(callbackOf(door.url)));
    const hop = await browser.follow(back.location!, isApp);
    assert.equal(hop.status, 303, hop.text);
    assert.equal(hop.headers.get('location'), '/?signInError=SSO_PROVIDER_ERROR');
    assert.ok(!hop.setCookies.some((one) => one.startsWith('gavel_session=')));
  });

  test('when a web callback arrives in another browser (login CSRF), then 303 to /?signInError=SSO_STATE_INVALID, and nobody is signed in', async () => {
    acme.accounts.set('mallory', { email: `mallory-${randomUUID()}@example.test`, emailVerified: true });
    const attacker = new Browser();
    const { callbackUrl } = await walkToCallback(attacker, startUrl(), 'mallory', callbackOf(door.url));
    const victim = new Browser();
    const hop = await victim.follow(callbackUrl, isApp);
    assert.equal(hop.status, 303, hop.text);
    assert.equal(hop.headers.get('location'), '/?signInError=SSO_STATE_INVALID');
    assert.equal(sessionCookie(victim), undefined);
    // The state is spent: the attacker's own browser gets nothing from it either (and, no longer
    // tied to a web attempt, the answer is the JSON one).
    const again = await attacker.request(toApi(callbackUrl));
    assert.equal(again.status, 400);
    assert.equal(bodyOf<ErrorJson>(again).error.code, 'SSO_STATE_INVALID');
  });

  test('when client is anything but web, then 400 VALIDATION and no sign-in starts', async () => {
    for (const query of ['client=mobile', 'client=', 'client=web&client=web']) {
      const hop = await new Browser().request(`${api.url}/v1/auth/sso/acme/start?${query}`);
      assert.equal(hop.status, 400, `${query}: ${hop.text}`);
      assert.equal(bodyOf<ErrorJson>(hop).error.code, 'VALIDATION');
      assert.deepEqual(hop.setCookies, [], query);
    }
  });
});
