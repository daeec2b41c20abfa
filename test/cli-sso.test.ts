/**
 * Single sign-on from the command line (RFC 8252: a loopback redirect with PKCE), over real HTTP with a
 * real OpenID Provider: first the API's side of `client=cli` (which redirect URIs it takes, the one-time
 * code and its verifier, failures sent back to the program, the browser binding still in force), then
 * `gavel login --sso` end to end, with a browser walking the provider's pages.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { count, eq } from 'drizzle-orm';
import { refreshTokens } from '../db/schema.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { Browser } from './helpers/browser.js';
import { cliUser, jsonOf, runCli, startCli } from './helpers/cli.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, type ErrorJson, type SessionJson } from './helpers/http.js';
import { startOidcProvider, type TestProvider } from './helpers/oidc-provider.js';
import { startFrontDoor, walkToCallback, walkToLoginPage, type FrontDoor } from './helpers/sso.js';

const SECRET = randomBytes(24).toString('base64url');

let database: TestDatabase;
let api: TestApi;
let door: FrontDoor;
let acme: TestProvider;

const redirectUri = () => `${door.url}/v1/auth/sso/acme/callback`;

before(async () => {
  database = await createTestDatabase();
  door = await startFrontDoor();
  acme = await startOidcProvider({
    claimsInIdToken: true,
    clients: [{ clientId: 'gavel', clientSecret: SECRET, redirectUris: [redirectUri()] }],
  });
  api = await startTestApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: `cli-sso-${randomUUID()}`,
    OIDC_PROVIDERS: JSON.stringify([
      {
        id: 'acme',
        name: 'Acme Corp',
        issuer: acme.issuer,
        clientId: 'gavel',
        clientSecret: SECRET,
        redirectUri: redirectUri(),
      },
    ]),
  });
  door.target = api.url;
});
after(async () => {
  await api.close();
  await Promise.all([acme.close(), door.close()]);
  await database.drop();
});

const newAccount = (login: string) => {
  const email = `${login}-${randomUUID()}@example.test`;
  acme.accounts.set(login, { email, emailVerified: true, name: login });
  return email;
};

/** What a command line picks for one sign-in: its loopback address, state and PKCE pair. */
function cliStart(port = 53682) {
  const verifier = randomBytes(32).toString('base64url');
  const params = {
    client: 'cli',
    redirect_uri: `http://127.0.0.1:${port}/callback`,
    state: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
  };
  return { verifier, params, url: (overrides: Record<string, string> = {}) => startUrl({ ...params, ...overrides }) };
}

const startUrl = (query: Record<string, string>) =>
  `${api.url}/v1/auth/sso/acme/start?${new URLSearchParams(query).toString()}`;

const redeem = (code: string, codeVerifier: string) =>
  call<SessionJson & ErrorJson>(`${api.url}/v1/auth/sso/token`, { body: { code, codeVerifier } });

/** The whole browser flow up to the callback's answer (a 303 to the loopback address, not followed). */
async function throughCallback(start: ReturnType<typeof cliStart>, login: string, browser = new Browser()) {
  const { callbackUrl } = await walkToCallback(browser, start.url(), login, redirectUri());
  const hop = await browser.follow(callbackUrl, (location) => location.startsWith(start.params.redirect_uri));
  assert.equal(hop.status, 303, hop.text);
  return new URL(hop.location!);
}

describe('the API: client=cli', () => {
  test("when the command line starts a sign-in, then the provider gets the API's own redirect URI, and the browser the binding cookie", async () => {
    const start = cliStart();
    const hop = await new Browser().request(start.url());
    assert.equal(hop.status, 302, hop.text);
    const location = new URL(hop.location!);
    assert.equal(
      location.searchParams.get('redirect_uri'),
      redirectUri(),
      'the loopback address never reaches the provider',
    );
    assert.notEqual(location.searchParams.get('state'), start.params.state, "the provider's state is the API's own");
    assert.notEqual(location.searchParams.get('code_challenge'), start.params.code_challenge);
    assert.match(hop.setCookies[0] ?? '', /^gavel_sso=/);
  });

  test('when the redirect URI is not a plain loopback address with a port, then 400 VALIDATION and no sign-in starts', async () => {
    const start = cliStart();
    for (const uri of [
      'https://127.0.0.1:5000/callback',
      'http://evil.example:5000/callback',
      'http://127.0.0.1.evil.example:5000/callback',
      'http://127.0.0.1/callback',
      'http://127.0.0.1:80/callback',
      'http://user@127.0.0.1:5000/callback',
      'http://127.0.0.1:5000/callback?next=https://evil.example',
      'http://127.0.0.1:5000/callback#x',
      'http://127.0.0.1:5000',
      'http://0x7f.0.0.1:5000/callback',
      'http://127.1:5000/callback',
      'http://127.0.0.1:5000\\@evil.example/',
      'http://[::1]:5000/callback',
      'javascript:alert(1)//127.0.0.1:5000/',
      `http://127.0.0.1:5000/${'a'.repeat(600)}`,
    ]) {
      const hop = await new Browser().request(start.url({ redirect_uri: uri }));
      assert.equal(hop.status, 400, `${uri}: ${hop.text}`);
      assert.equal((JSON.parse(hop.text) as ErrorJson).error.code, 'VALIDATION', uri);
      assert.deepEqual(hop.setCookies, [], uri);
    }
    assert.equal((await new Browser().request(start.url({ redirect_uri: 'http://localhost:5000/cb' }))).status, 302);
  });

  test('when a parameter of client=cli is missing, malformed, or given without it, then 400 VALIDATION', async () => {
    const { params } = cliStart();
    const without = (name: string) => Object.fromEntries(Object.entries(params).filter(([key]) => key !== name));
    for (const query of [
      without('redirect_uri'),
      without('state'),
      without('code_challenge'),
      { ...params, code_challenge: 'short' },
      { ...params, state: 'short' },
      { ...params, client: 'web' },
      { redirect_uri: params.redirect_uri },
    ]) {
      const hop = await new Browser().request(startUrl(query));
      assert.equal(hop.status, 400, `${JSON.stringify(query)}: ${hop.text}`);
    }
  });

  test('when the person signs in, then the browser goes to the loopback address with a one-time code and the state; the code and its verifier get the session, once', async () => {
    const email = newAccount('tom');
    const start = cliStart();
    const back = await throughCallback(start, 'tom');
    assert.equal(`${back.origin}${back.pathname}`, start.params.redirect_uri);
    assert.equal(back.searchParams.get('state'), start.params.state);
    const code = back.searchParams.get('code')!;
    assert.match(code, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual([...back.searchParams.keys()].sort(), ['code', 'state'], 'no token in the URL');

    const sessionCount = async () => (await database.db.select({ n: count() }).from(refreshTokens))[0]!.n;
    const before = await sessionCount();
    const ttl = await api.deps.redis.ttl(`sso:cli-code:${createHash('sha256').update(code).digest('hex')}`);
    assert.ok(ttl > 0 && ttl <= 60, `the code lives a minute at most: ${ttl}`);

    const session = await redeem(code, start.verifier);
    assert.equal(session.status, 200, JSON.stringify(session.body));
    const me = await call<{ email: string; id: string }>(`${api.url}/v1/users/me`, { token: session.body.accessToken });
    assert.equal(me.body.email, email.toLowerCase());
    assert.equal(await sessionCount(), before + 1, 'the session starts when the code is redeemed');
    const sessions = await database.db
      .select({ n: count() })
      .from(refreshTokens)
      .where(eq(refreshTokens.userId, me.body.id));
    assert.equal(sessions[0]!.n, 1);

    const again = await redeem(code, start.verifier);
    assert.deepEqual([again.status, again.body.error.code], [401, 'SSO_CODE_INVALID']);
  });

  test('when the code comes with another verifier (someone else caught it), then 401, and the code is spent for its owner too', async () => {
    newAccount('una');
    const start = cliStart();
    const code = (await throughCallback(start, 'una')).searchParams.get('code')!;
    const stolen = await redeem(code, randomBytes(32).toString('base64url'));
    assert.deepEqual([stolen.status, stolen.body.error.code], [401, 'SSO_CODE_INVALID']);
    const owner = await redeem(code, start.verifier);
    assert.deepEqual([owner.status, owner.body.error.code], [401, 'SSO_CODE_INVALID']);
  });

  test('when a code is forged or malformed, then 401 SSO_CODE_INVALID; a wrong body 400 VALIDATION; never 500', async () => {
    const verifier = randomBytes(32).toString('base64url');
    assert.equal((await redeem(randomBytes(32).toString('base64url'), verifier)).body.error.code, 'SSO_CODE_INVALID');
    assert.equal((await redeem('not a code', verifier)).body.error.code, 'SSO_CODE_INVALID');
    for (const body of [
      {},
      { code: 'x' },
      { code: 'x', codeVerifier: 'short' },
      { code: 'x', codeVerifier: verifier, more: 1 },
    ]) {
      const answer = await call<ErrorJson>(`${api.url}/v1/auth/sso/token`, { body });
      assert.deepEqual([answer.status, answer.body.error.code], [400, 'VALIDATION'], JSON.stringify(body));
    }
  });

  test('when the person cancels at the provider, then the browser goes to the loopback address with the error and the state, no code', async () => {
    const start = cliStart();
    const browser = new Browser();
    const login = await walkToLoginPage(browser, start.url());
    const abort = new URL('abort', `${login.url}/`).href;
    const back = await browser.follow(abort, (location) => location.startsWith(redirectUri()));
    const hop = await browser.follow(back.location!, (location) => location.startsWith(start.params.redirect_uri));
    assert.equal(hop.status, 303, hop.text);
    const location = new URL(hop.location!);
    assert.equal(location.searchParams.get('error'), 'SSO_PROVIDER_ERROR');
    assert.equal(location.searchParams.get('state'), start.params.state);
    assert.equal(location.searchParams.get('code'), null);
  });

  test('when the callback arrives in another browser (login CSRF), then the loopback address gets SSO_STATE_INVALID, no code', async () => {
    newAccount('mallory');
    const start = cliStart();
    const { callbackUrl } = await walkToCallback(new Browser(), start.url(), 'mallory', redirectUri());
    const hop = await new Browser().follow(callbackUrl, (location) => location.startsWith(start.params.redirect_uri));
    assert.equal(hop.status, 303, hop.text);
    const location = new URL(hop.location!);
    assert.equal(location.searchParams.get('error'), 'SSO_STATE_INVALID');
    assert.equal(location.searchParams.get('code'), null);
  });
});

describe('gavel login --sso', () => {
  test('when the person signs in in the browser, then the command receives the code on its loopback address and stores the session', async () => {
    const email = newAccount('vic');
    const user = cliUser(api.url);
    const running = startCli(user, ['login', '--sso', 'acme', '--no-browser']);
    const stderr = await running.waitFor('stderr', /Waiting for the sign-in/);
    const url = /^(http:\/\/\S+\/v1\/auth\/sso\/acme\/start\?\S+)$/m.exec(stderr)?.[1];
    assert.ok(url, stderr);
    const query = new URL(url).searchParams;
    assert.equal(query.get('client'), 'cli');
    const loopback = query.get('redirect_uri')!;
    assert.match(loopback, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    // Someone else reaching the loopback page first (a forged or stray request) is refused; the command waits on.
    const forged = await fetch(`${loopback}?code=${randomBytes(32).toString('base64url')}&state=forged`);
    assert.equal(forged.status, 400);
    await forged.text();

    const browser = new Browser();
    const { callbackUrl } = await walkToCallback(browser, url, 'vic', redirectUri());
    const page = await browser.follow(callbackUrl);
    assert.equal(page.status, 200, page.text);
    assert.match(page.text, /You are signed in/);
    assert.equal(page.headers.get('cache-control'), 'no-store');

    const run = await running.done;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`Signed in to ${api.url} as vic <${email.toLowerCase()}>`));
    const whoami = await runCli(user, ['--json', 'whoami']);
    assert.equal(jsonOf<{ user: { email: string } }>(whoami).user.email, email.toLowerCase());
  });

  test('when the sign-in fails at the provider, then the command says why and exits 1', async () => {
    const running = startCli(cliUser(api.url), ['login', '--sso', 'acme', '--no-browser']);
    const stderr = await running.waitFor('stderr', /Waiting for the sign-in/);
    const url = /^(http:\/\/\S+\/start\?\S+)$/m.exec(stderr)![1]!;
    const browser = new Browser();
    const login = await walkToLoginPage(browser, url);
    const page = await browser.follow(new URL('abort', `${login.url}/`).href);
    assert.equal(page.status, 400);
    const run = await running.done;
    assert.equal(run.code, 1);
    assert.match(run.stderr, /SSO_PROVIDER_ERROR/);
  });

  test('when the provider is not one the API offers, then exit 1 naming those it does, and no browser is needed', async () => {
    const run = await runCli(cliUser(api.url), ['login', '--sso', 'nope', '--no-browser']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /No SSO provider "nope" .* it offers: acme \(Acme Corp\)/);
  });
});
