/**
 * Sign-in with SSO end to end, over real HTTP: two real OpenID Providers (oidc-provider) started here,
 * the real API configured with both (and with one that is down), and a browser that walks the whole
 * authorization code flow (the API's start, the provider's own login and consent pages, the way back).
 * Linking by (issuer, subject) and by verified email only, and every way a callback can be wrong:
 * unknown provider, forged, replayed, foreign or unbound state, another client's or a used code, and
 * the provider answering with an error.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { and, count, eq } from 'drizzle-orm';
import { refreshTokens, userIdentities, users } from '../db/schema.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { Browser, type Hop } from './helpers/browser.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, type ErrorJson, type SessionJson } from './helpers/http.js';
import { startOidcProvider, type TestProvider } from './helpers/oidc-provider.js';
import { startFrontDoor, walkToCallback, walkToLoginPage, type FrontDoor } from './helpers/sso.js';

interface UserJson {
  id: string;
  email: string;
  displayName: string;
}
interface SsoErrorJson {
  error: { code: string; message: string; providerError?: string };
}

const PASSWORD = 'correct horse battery staple';
const ACME_SECRET = randomBytes(24).toString('base64url');

let database: TestDatabase;
let api: TestApi;
let door: FrontDoor;
/** Confidential client; puts the email in the ID token. */
let acme: TestProvider;
/** Public client (PKCE only); serves the email from userinfo only. */
let globex: TestProvider;
/** Like Microsoft Entra ID: says an email is verified with `xms_edov`, not `email_verified`. */
let contoso: TestProvider;

const redirectUri = (provider: string) => `${door.url}/v1/auth/sso/${provider}/callback`;
const startUrl = (provider: string) => `${api.url}/v1/auth/sso/${provider}/start`;
const newEmail = (name: string) => `${name}-${randomUUID()}@example.test`;

before(async () => {
  database = await createTestDatabase();
  door = await startFrontDoor();
  acme = await startOidcProvider({
    claimsInIdToken: true,
    clients: [
      { clientId: 'gavel', clientSecret: ACME_SECRET, redirectUris: [`${door.url}/v1/auth/sso/acme/callback`] },
      // Another application at the same provider: its codes must be worthless to us.
      { clientId: 'other-app', clientSecret: 'other-secret', redirectUris: ['http://127.0.0.1:9/other-app'] },
    ],
  });
  globex = await startOidcProvider({
    clients: [{ clientId: 'gavel-public', redirectUris: [`${door.url}/v1/auth/sso/globex/callback`] }],
  });
  contoso = await startOidcProvider({
    claimsInIdToken: true,
    clients: [{ clientId: 'gavel-entra', redirectUris: [`${door.url}/v1/auth/sso/contoso/callback`] }],
  });
  const providers = [
    {
      id: 'acme',
      name: 'Acme Corp',
      issuer: acme.issuer,
      clientId: 'gavel',
      clientSecret: ACME_SECRET,
      redirectUri: `${door.url}/v1/auth/sso/acme/callback`,
    },
    {
      id: 'globex',
      issuer: globex.issuer,
      clientId: 'gavel-public',
      redirectUri: `${door.url}/v1/auth/sso/globex/callback`,
    },
    {
      id: 'contoso',
      issuer: contoso.issuer,
      clientId: 'gavel-entra',
      redirectUri: `${door.url}/v1/auth/sso/contoso/callback`,
      emailVerifiedClaim: 'xms_edov',
    },
    // Configured, but nothing listens there.
    { id: 'gone', issuer: 'http://127.0.0.1:9', clientId: 'x', redirectUri: `${door.url}/v1/auth/sso/gone/callback` },
  ];
  api = await startTestApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: `sso-${randomUUID()}`,
    OIDC_PROVIDERS: JSON.stringify(providers),
  });
  door.target = api.url;
});
after(async () => {
  await api.close();
  await Promise.all([acme.close(), globex.close(), contoso.close(), door.close()]);
  await database.drop();
});

const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 10));

const json = <T>(hop: Hop) => JSON.parse(hop.text) as T;

/** The whole flow as `login` at `provider`, in a browser of its own unless one is given; the callback's answer. */
async function signInWith(provider: 'acme' | 'globex' | 'contoso', login: string, browser = new Browser()) {
  const { callbackUrl } = await walkToCallback(browser, startUrl(provider), login, redirectUri(provider));
  return browser.follow(callbackUrl);
}

async function signedIn(provider: 'acme' | 'globex' | 'contoso', login: string): Promise<SessionJson> {
  const hop = await signInWith(provider, login);
  assert.equal(hop.status, 200, hop.text);
  return json<SessionJson>(hop);
}

const me = (token: string) => call<UserJson & ErrorJson>(`${api.url}/v1/users/me`, { token });

async function signUpWithPassword(email: string): Promise<{ id: string; session: SessionJson }> {
  const user = await call<UserJson>(`${api.url}/v1/users`, {
    body: { email, password: PASSWORD, displayName: 'Local' },
  });
  assert.equal(user.status, 201);
  const session = await call<SessionJson>(`${api.url}/v1/auth/token`, { body: { email, password: PASSWORD } });
  assert.equal(session.status, 200);
  return { id: user.body.id, session: session.body };
}

const passwordSignIn = (email: string) =>
  call<ErrorJson>(`${api.url}/v1/auth/token`, { body: { email, password: PASSWORD } });

const identitiesOf = (userId: string) =>
  database.db
    .select({ issuer: userIdentities.issuer, subject: userIdentities.subject })
    .from(userIdentities)
    .where(eq(userIdentities.userId, userId));

async function identityCount(issuer: string, subject: string) {
  const [row] = await database.db
    .select({ n: count() })
    .from(userIdentities)
    .where(and(eq(userIdentities.issuer, issuer), eq(userIdentities.subject, subject)));
  return row!.n;
}

function assertError(hop: Hop, status: number, code: string): SsoErrorJson {
  assert.equal(hop.status, status, hop.text);
  const body = json<SsoErrorJson>(hop);
  assert.equal(body.error.code, code, hop.text);
  assert.equal(typeof body.error.message, 'string');
  return body;
}

describe('the providers', () => {
  test('when the list is asked for, then every configured provider is there with its name (the id when none)', async () => {
    const answer = await call<{ providers: { id: string; name: string }[] }>(`${api.url}/v1/auth/sso`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.providers, [
      { id: 'acme', name: 'Acme Corp' },
      { id: 'globex', name: 'globex' },
      { id: 'contoso', name: 'contoso' },
      { id: 'gone', name: 'gone' },
    ]);
  });

  test('when a sign-in starts, then the browser goes to the provider with PKCE S256, a state and a nonce, and gets an HttpOnly binding cookie for the callback only', async () => {
    const browser = new Browser();
    const start = await browser.request(startUrl('acme'));
    assert.equal(start.status, 302);
    const location = new URL(start.location!);
    assert.equal(location.origin, acme.issuer);
    const query = Object.fromEntries(location.searchParams);
    assert.equal(query.client_id, 'gavel');
    assert.equal(query.response_type, 'code');
    assert.equal(query.redirect_uri, redirectUri('acme'));
    assert.equal(query.code_challenge_method, 'S256');
    assert.match(query.code_challenge ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(query.state ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(query.nonce ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(query.scope?.split(' ').sort(), ['email', 'openid', 'profile']);
    const [cookie] = start.setCookies;
    assert.match(cookie ?? '', /^gavel_sso=[A-Za-z0-9_-]{43};/);
    assert.match(cookie!, /; Path=\/v1\/auth\/sso\/acme\/callback/);
    assert.match(cookie!, /; HttpOnly/);
    assert.match(cookie!, /; SameSite=Lax/);
    // The PKCE verifier never leaves the server; only its challenge is sent.
    assert.equal(query.code_verifier, undefined);
    const second = await new Browser().request(startUrl('acme'));
    assert.notEqual(new URL(second.location!).searchParams.get('state'), query.state, 'a fresh state per attempt');
  });

  test('when the provider is unknown, then 404 NOT_FOUND at start and at callback', async () => {
    for (const path of [
      '/v1/auth/sso/nope/start',
      '/v1/auth/sso/nope/callback?code=x&state=y',
      '/v1/auth/sso/%00/start',
    ]) {
      const answer = await call<ErrorJson>(`${api.url}${path}`);
      assert.deepEqual([answer.status, answer.body.error.code], [404, 'NOT_FOUND'], path);
    }
  });

  test('when the provider cannot be reached, then 503 SSO_PROVIDER_UNAVAILABLE with Retry-After, not 500', async () => {
    const response = await fetch(startUrl('gone'), { redirect: 'manual' });
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '1');
    assert.equal(((await response.json()) as ErrorJson).error.code, 'SSO_PROVIDER_UNAVAILABLE');
  });
});

describe('signing in and linking', () => {
  test('when someone new signs in with a verified email, then an account without a password is made, and its tokens work', async () => {
    const email = newEmail('carol');
    acme.accounts.set('carol', { email, emailVerified: true, name: 'Carol\u0007 Ng' });
    const hop = await signInWith('acme', 'carol');
    assert.equal(hop.status, 200, hop.text);
    const session = json<SessionJson>(hop);
    assert.deepEqual(Object.keys(session).sort(), [
      'accessToken',
      'expiresIn',
      'refreshToken',
      'refreshTokenExpiresIn',
      'tokenType',
    ]);
    const account = await me(session.accessToken);
    assert.equal(account.status, 200);
    assert.equal(account.body.email, email.toLowerCase());
    assert.equal(account.body.displayName, 'Carol Ng', 'control characters dropped');
    const [row] = await database.db.select().from(users).where(eq(users.id, account.body.id));
    assert.equal(row?.passwordHash, null);
    assert.deepEqual(await identitiesOf(account.body.id), [{ issuer: acme.issuer, subject: 'carol' }]);
    const refreshed = await call<SessionJson>(`${api.url}/v1/auth/refresh`, {
      body: { refreshToken: session.refreshToken },
    });
    assert.equal(refreshed.status, 200);
  });

  test('when the callback answers, then it is not cacheable and the binding cookie is cleared', async () => {
    acme.accounts.set('cache', { email: newEmail('cache'), emailVerified: true });
    const browser = new Browser();
    const { callbackUrl } = await walkToCallback(browser, startUrl('acme'), 'cache', redirectUri('acme'));
    const apiCallback = callbackUrl.replace(door.url, api.url);
    assert.equal(browser.cookiesFor(apiCallback).length, 1);
    const hop = await browser.request(apiCallback);
    assert.equal(hop.status, 200);
    assert.equal(hop.headers.get('cache-control'), 'no-store');
    assert.match(hop.setCookies[0] ?? '', /^gavel_sso=;.*Expires=Thu, 01 Jan 1970/);
    assert.equal(browser.cookiesFor(apiCallback).length, 0);
  });

  test('when someone signs in again after changing their email at the provider, then it is the same account: linked by (issuer, subject)', async () => {
    acme.accounts.set('dana', { email: newEmail('dana'), emailVerified: true });
    const first = await me((await signedIn('acme', 'dana')).accessToken);
    acme.accounts.set('dana', { email: newEmail('dana-new'), emailVerified: true });
    const second = await me((await signedIn('acme', 'dana')).accessToken);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.body.email, first.body.email, 'the account keeps its email');
  });

  test('when a verified email matches a password account, then it is linked to it, and the password and the sessions from before stop working', async () => {
    const email = newEmail('alice');
    const local = await signUpWithPassword(email);
    acme.accounts.set('alice', { email: email.toUpperCase(), emailVerified: true });
    // Tokens carry their issue time in whole seconds (iat); the link refuses those of earlier seconds.
    await nextSecond();
    const session = await signedIn('acme', 'alice');
    assert.equal((await me(session.accessToken)).body.id, local.id);
    // Sign-up never verified the address: whoever set that password may not own it (pre-account takeover).
    assert.equal((await passwordSignIn(email)).status, 401);
    const oldRefresh = await call<ErrorJson>(`${api.url}/v1/auth/refresh`, {
      body: { refreshToken: local.session.refreshToken },
    });
    assert.deepEqual([oldRefresh.status, oldRefresh.body.error.code], [401, 'INVALID_REFRESH_TOKEN']);
    const oldAccess = await me(local.session.accessToken);
    assert.deepEqual([oldAccess.status, oldAccess.body.error.code], [401, 'INVALID_TOKEN']);
    assert.equal((await me(session.accessToken)).status, 200, 'the new session works');
  });

  test('when two providers are configured, then both sign in; the same verified email at both is one account with two identities', async () => {
    const email = newEmail('erin');
    acme.accounts.set('erin', { email, emailVerified: true });
    globex.accounts.set('erin-at-globex', { email, emailVerified: true });
    const viaAcme = await me((await signedIn('acme', 'erin')).accessToken);
    // globex: a public client, the email only at userinfo.
    const viaGlobex = await me((await signedIn('globex', 'erin-at-globex')).accessToken);
    assert.equal(viaGlobex.status, 200);
    assert.equal(viaGlobex.body.id, viaAcme.body.id);
    const identities = (await identitiesOf(viaAcme.body.id)).sort((a, b) => a.issuer.localeCompare(b.issuer));
    assert.deepEqual(
      identities,
      [
        { issuer: acme.issuer, subject: 'erin' },
        { issuer: globex.issuer, subject: 'erin-at-globex' },
      ].sort((a, b) => a.issuer.localeCompare(b.issuer)),
    );
  });

  test('when two providers use the same subject for different people, then they are different accounts', async () => {
    acme.accounts.set('sam', { email: newEmail('sam-acme'), emailVerified: true });
    globex.accounts.set('sam', { email: newEmail('sam-globex'), emailVerified: true });
    const atAcme = await me((await signedIn('acme', 'sam')).accessToken);
    const atGlobex = await me((await signedIn('globex', 'sam')).accessToken);
    assert.notEqual(atAcme.body.id, atGlobex.body.id);
  });

  test('when an unverified email matches a password account, then 403 SSO_EMAIL_NOT_VERIFIED: nothing is linked and the password still works', async () => {
    const email = newEmail('bob');
    const local = await signUpWithPassword(email);
    const [before] = await database.db.select().from(users).where(eq(users.id, local.id));
    for (const [login, emailVerified] of [
      ['bob', false],
      ['bob-string', 'true'], // a string is not the boolean the spec asks for
      ['bob-silent', undefined],
    ] as const) {
      acme.accounts.set(login, { email, ...(emailVerified === undefined ? {} : { emailVerified }) });
      assertError(await signInWith('acme', login), 403, 'SSO_EMAIL_NOT_VERIFIED');
      assert.equal(await identityCount(acme.issuer, login), 0, login);
    }
    assert.deepEqual(await identitiesOf(local.id), []);
    const [afterwards] = await database.db.select().from(users).where(eq(users.id, local.id));
    assert.deepEqual(afterwards, before);
    assert.equal((await passwordSignIn(email)).status, 200);
    assert.equal((await me(local.session.accessToken)).status, 200);
  });

  test('when the email is unverified or missing and no account has it, then 403, and no account is made', async () => {
    const email = newEmail('dave');
    acme.accounts.set('dave', { email, emailVerified: false });
    globex.accounts.set('nobody', { name: 'No Email' });
    assertError(await signInWith('acme', 'dave'), 403, 'SSO_EMAIL_NOT_VERIFIED');
    assertError(await signInWith('globex', 'nobody'), 403, 'SSO_EMAIL_NOT_VERIFIED');
    const [made] = await database.db.select({ n: count() }).from(users).where(eq(users.email, email.toLowerCase()));
    assert.equal(made!.n, 0);
    // A password sign-up with that address is still possible: nothing squats it.
    await signUpWithPassword(email);
  });
});

describe('a provider that says "verified" with another claim (Microsoft Entra ID: xms_edov)', () => {
  test('when its claim says the email is verified, then the sign-in links to the account with that email', async () => {
    const email = newEmail('entra');
    const local = await signUpWithPassword(email);
    contoso.accounts.set('entra-user', { email, emailDomainOwnerVerified: true });
    const session = await signedIn('contoso', 'entra-user');
    assert.equal((await me(session.accessToken)).body.id, local.id);
    assert.deepEqual(await identitiesOf(local.id), [{ issuer: contoso.issuer, subject: 'entra-user' }]);
  });

  test('when its claim is false or absent, then 403, whatever email_verified says', async () => {
    for (const [login, account] of [
      ['entra-false', { emailDomainOwnerVerified: false, emailVerified: true }],
      ['entra-silent', { emailVerified: true }],
    ] as const) {
      contoso.accounts.set(login, { email: newEmail(login), ...account });
      assertError(await signInWith('contoso', login), 403, 'SSO_EMAIL_NOT_VERIFIED');
      assert.equal(await identityCount(contoso.issuer, login), 0, login);
    }
  });

  test('when another provider sends that claim, then it counts for nothing there: each provider has its own', async () => {
    acme.accounts.set('acme-edov', { email: newEmail('acme-edov'), emailDomainOwnerVerified: true });
    assertError(await signInWith('acme', 'acme-edov'), 403, 'SSO_EMAIL_NOT_VERIFIED');
  });
});

describe('a callback that is not right', () => {
  const stateOf = (url: string) => new URL(url).searchParams.get('state')!;
  const toApi = (url: string) => url.replace(door.url, api.url);

  test('when the state was never issued (forged), is malformed or missing, then 400 SSO_STATE_INVALID', async () => {
    const browser = new Browser();
    await browser.request(startUrl('acme')); // a real binding cookie: the state is what is wrong
    const forged = randomBytes(32).toString('base64url');
    for (const query of [
      `code=abc&state=${forged}`,
      'code=abc&state=short',
      `code=abc&state=${'%2F'.repeat(43)}`,
      'code=abc',
      '',
    ]) {
      const hop = await browser.request(`${api.url}/v1/auth/sso/acme/callback?${query}`);
      assertError(hop, 400, 'SSO_STATE_INVALID');
    }
  });

  test('when a callback is delivered again (replay), then 400 SSO_STATE_INVALID, also with the binding cookie sent again', async () => {
    acme.accounts.set('replay', { email: newEmail('replay'), emailVerified: true });
    const browser = new Browser();
    const { callbackUrl } = await walkToCallback(browser, startUrl('acme'), 'replay', redirectUri('acme'));
    const cookie = browser.cookiesFor(toApi(callbackUrl)).map(({ name, value }) => `${name}=${value}`)[0]!;
    const deliver = () => fetch(toApi(callbackUrl), { headers: { cookie } });
    assert.equal((await deliver()).status, 200);
    const again = await deliver();
    assert.equal(again.status, 400);
    assert.equal(((await again.json()) as ErrorJson).error.code, 'SSO_STATE_INVALID');
  });

  test('when the same callback is delivered several times at once, then exactly one signs in', async () => {
    acme.accounts.set('race', { email: newEmail('race'), emailVerified: true });
    const browser = new Browser();
    const { callbackUrl } = await walkToCallback(browser, startUrl('acme'), 'race', redirectUri('acme'));
    const cookie = browser.cookiesFor(toApi(callbackUrl)).map(({ name, value }) => `${name}=${value}`)[0]!;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => fetch(toApi(callbackUrl), { headers: { cookie } }).then((r) => r.status)),
    );
    assert.deepEqual(answers.sort(), [200, 400, 400, 400, 400]);
  });

  test('when a callback arrives in another browser than the one that started it (login CSRF), then 400, and the state is spent', async () => {
    acme.accounts.set('mallory', { email: newEmail('mallory'), emailVerified: true });
    const attacker = new Browser();
    const { callbackUrl } = await walkToCallback(attacker, startUrl('acme'), 'mallory', redirectUri('acme'));
    const victim = new Browser();
    await victim.request(startUrl('acme')); // the victim even has a binding cookie of their own
    assertError(await victim.follow(callbackUrl), 400, 'SSO_STATE_INVALID');
    assertError(await attacker.follow(callbackUrl), 400, 'SSO_STATE_INVALID');
  });

  test('when a state started for one provider comes back to another, then 400 SSO_STATE_INVALID', async () => {
    const browser = new Browser();
    const start = await browser.request(startUrl('acme'));
    const state = new URL(start.location!).searchParams.get('state')!;
    const cookie = browser.cookiesFor(`${api.url}/v1/auth/sso/acme/callback`)[0]!;
    const response = await fetch(`${api.url}/v1/auth/sso/globex/callback?code=abc&state=${state}`, {
      headers: { cookie: `${cookie.name}=${cookie.value}` },
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as ErrorJson).error.code, 'SSO_STATE_INVALID');
  });

  test('when the code was issued to another client of the provider, then 400 SSO_CODE_REJECTED', async () => {
    acme.accounts.set('other', { email: newEmail('other'), emailVerified: true });
    // A code for other-app, obtained as other-app would (it sends PKCE too: the provider asks it of everyone).
    const browser = new Browser();
    const authorize = new URL(`${acme.issuer}/auth`);
    authorize.search = new URLSearchParams({
      client_id: 'other-app',
      response_type: 'code',
      scope: 'openid email',
      redirect_uri: 'http://127.0.0.1:9/other-app',
      state: 'other-state',
      code_challenge: randomBytes(32).toString('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const isOtherApp = (location: string) => location.startsWith('http://127.0.0.1:9/other-app');
    let page = await browser.follow(authorize.href, isOtherApp);
    page = await browser.submitForm(page, { login: 'other', password: 'x' }, isOtherApp);
    if (page.status === 200) page = await browser.submitForm(page, {}, isOtherApp);
    const foreignCode = new URL(page.location!).searchParams.get('code')!;
    assert.ok(foreignCode);
    // Our own, valid, sign-in attempt, with the foreign code put in.
    const start = await browser.request(startUrl('acme'));
    const state = new URL(start.location!).searchParams.get('state')!;
    const hop = await browser.request(
      `${api.url}/v1/auth/sso/acme/callback?${new URLSearchParams({ code: foreignCode, state, iss: acme.issuer }).toString()}`,
    );
    assertError(hop, 400, 'SSO_CODE_REJECTED');
  });

  test('when a code that signed someone in is used again with a new state, then 400 SSO_CODE_REJECTED', async () => {
    acme.accounts.set('reuse', { email: newEmail('reuse'), emailVerified: true });
    const browser = new Browser();
    const { callbackUrl } = await walkToCallback(browser, startUrl('acme'), 'reuse', redirectUri('acme'));
    assert.equal((await browser.follow(callbackUrl)).status, 200);
    const code = new URL(callbackUrl).searchParams.get('code')!;
    const start = await browser.request(startUrl('acme'));
    const state = new URL(start.location!).searchParams.get('state')!;
    const hop = await browser.request(
      `${api.url}/v1/auth/sso/acme/callback?${new URLSearchParams({ code, state, iss: acme.issuer }).toString()}`,
    );
    assertError(hop, 400, 'SSO_CODE_REJECTED');
  });

  test('when the response names another issuer (mix-up), then 400 SSO_RESPONSE_INVALID', async () => {
    acme.accounts.set('mixup', { email: newEmail('mixup'), emailVerified: true });
    const browser = new Browser();
    const { callbackUrl } = await walkToCallback(browser, startUrl('acme'), 'mixup', redirectUri('acme'));
    const forged = new URL(toApi(callbackUrl));
    forged.searchParams.set('iss', globex.issuer);
    assertError(await browser.request(forged.href), 400, 'SSO_RESPONSE_INVALID');
  });

  test('when the user cancels at the provider, then the provider answers with an error and the API 400 SSO_PROVIDER_ERROR', async () => {
    const browser = new Browser();
    const login = await walkToLoginPage(browser, startUrl('globex'));
    const abort = new URL('abort', `${login.url}/`).href; // the provider's own "cancel" link
    const back = await browser.follow(abort, (location) => location.startsWith(redirectUri('globex')));
    const callback = new URL(back.location!);
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(stateOf(callback.href).length, 43);
    const body = assertError(await browser.follow(callback.href), 400, 'SSO_PROVIDER_ERROR');
    assert.equal(body.error.providerError, 'access_denied');
    // The attempt is spent: the same state cannot be used for a code now.
    assertError(await browser.follow(callback.href), 400, 'SSO_STATE_INVALID');
  });

  test('when the callback query is malformed (a parameter repeated, a huge code), then 4xx in the error shape', async () => {
    const browser = new Browser();
    await browser.request(startUrl('acme'));
    const state = randomBytes(32).toString('base64url');
    for (const query of [
      'code=a&code=b&state=x',
      `code=a&state=${state}&state=${state}`,
      `code=${'c'.repeat(5000)}&state=x`,
    ]) {
      const hop = await browser.request(`${api.url}/v1/auth/sso/acme/callback?${query}`);
      assert.ok(hop.status >= 400 && hop.status < 500, `${query.slice(0, 30)}: ${hop.status}`);
      assert.equal(typeof json<ErrorJson>(hop).error.code, 'string');
    }
  });
});

describe('what is stored', () => {
  test('when someone signs in with SSO, then the provider tokens are not kept and the refresh token is stored only hashed', async () => {
    acme.accounts.set('stored', { email: newEmail('stored'), emailVerified: true });
    const session = await signedIn('acme', 'stored');
    const userId = (await me(session.accessToken)).body.id;
    const rows = await database.db.select().from(refreshTokens).where(eq(refreshTokens.userId, userId));
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]!.tokenHash, session.refreshToken);
    assert.ok(!JSON.stringify(rows).includes(session.refreshToken));
  });
});
