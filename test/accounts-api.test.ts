import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { count, sql } from 'drizzle-orm';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { verifyPassword } from '../api/auth/password.js';
import { createTokenService, type TokenService } from '../api/auth/tokens.js';
import { users } from '../db/schema.js';
import { startAccountsApi, type AccountsApi } from './helpers/accounts-api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertUser } from './helpers/fixtures.js';
import { call, type ErrorJson } from './helpers/http.js';
import { claims, craftToken, es256Signer, hs256Signer, newEs256PrivateKeyPem, publicKeyPemOf } from './helpers/jwt.js';

const ISSUER = 'gavel-test';
const PASSWORD = 'correct horse battery staple';

interface UserJson {
  id: string;
  email: string;
  displayName: string;
  createdAt: string;
}
interface TokenJson {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
}
interface ValidationJson {
  error: { code: string; message: string; issues: { path: string; message: string }[] };
}

let db: TestDatabase;
let tokens: TokenService;
let api: AccountsApi;
const privateKeyPem = newEs256PrivateKeyPem();

before(async () => {
  db = await createTestDatabase();
  tokens = await createTokenService({ privateKey: privateKeyPem, keyId: null, issuer: ISSUER, ttlSeconds: 900 });
  api = await startAccountsApi({ db: db.db, tokens });
});
after(async () => {
  await api.close();
  await db.drop();
});

const newEmail = (name = 'user') => `${name}-${randomUUID()}@example.test`;
const register = (body: unknown) => call<UserJson>(`${api.url}/v1/users`, { body });
const signIn = (body: unknown) => call<TokenJson>(`${api.url}/v1/auth/token`, { body });
const me = (authorization?: string) =>
  call<UserJson>(`${api.url}/v1/users/me`, { headers: authorization === undefined ? {} : { authorization } });
const rowsWithEmail = async (email: string) =>
  (
    await db.db
      .select({ n: count() })
      .from(users)
      .where(sql`lower(${users.email}) = lower(${email})`)
  )[0]!.n;
const allRows = async () => (await db.db.select({ n: count() }).from(users))[0]!.n;

describe('POST /v1/users', () => {
  test('when someone signs up, then 201 with id, email, displayName and createdAt, and never the hash', async () => {
    const email = newEmail('Sam');
    const started = Date.now();
    const { status, body } = await register({
      email: `  ${email.toUpperCase()} `,
      password: PASSWORD,
      displayName: ' Sam ',
    });
    assert.equal(status, 201);
    assert.deepEqual(Object.keys(body).sort(), ['createdAt', 'displayName', 'email', 'id']);
    assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(body.email, email.toLowerCase());
    assert.equal(body.displayName, 'Sam');
    assert.ok(Math.abs(Date.parse(body.createdAt) - started) < 60_000, body.createdAt);
  });

  test('when someone signs up, then the row holds a scrypt hash of the password, not the password', async () => {
    const email = newEmail();
    const { body } = await register({ email, password: PASSWORD, displayName: 'Kim' });
    const [row] = await db.db
      .select()
      .from(users)
      .where(sql`${users.id} = ${body.id}`);
    const stored = row?.passwordHash ?? '';
    assert.match(stored, /^scrypt\$/);
    assert.ok(!stored.includes(PASSWORD));
    assert.equal(await verifyPassword(PASSWORD, stored), true);
  });

  test('when the email is taken in another case, then 409 EMAIL_TAKEN and still one account', async () => {
    const email = newEmail('dup');
    assert.equal((await register({ email, password: PASSWORD, displayName: 'First' })).status, 201);
    const second = await call<ErrorJson>(`${api.url}/v1/users`, {
      body: { email: email.toUpperCase(), password: 'another password', displayName: 'Second' },
    });
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, 'EMAIL_TAKEN');
    assert.equal(await rowsWithEmail(email), 1);
  });

  test('when 20 sign-ups race for one email, then exactly one gets 201 and the others 409 EMAIL_TAKEN', async () => {
    const email = newEmail('race');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call<ErrorJson>(`${api.url}/v1/users`, { body: { email, password: PASSWORD, displayName: `Racer ${i}` } }),
      ),
    );
    assert.equal(answers.filter((a) => a.status === 201).length, 1);
    const refused = answers.filter((a) => a.status !== 201);
    assert.equal(refused.length, 19);
    for (const answer of refused) assert.deepEqual([answer.status, answer.body.error.code], [409, 'EMAIL_TAKEN']);
    assert.equal(await rowsWithEmail(email), 1);
  });

  const valid = () => ({ email: newEmail('bad'), password: PASSWORD, displayName: 'Val' });
  type Body = Record<string, unknown>;
  const badBodies: [why: string, change: (body: Body) => Body, field: string][] = [
    ['the email is missing', (b) => ({ ...b, email: undefined }), 'email'],
    ['the password is missing', (b) => ({ ...b, password: undefined }), 'password'],
    ['the displayName is missing', (b) => ({ ...b, displayName: undefined }), 'displayName'],
    ['the email is a number', (b) => ({ ...b, email: 42 }), 'email'],
    ['the password is a number', (b) => ({ ...b, password: 12345678 }), 'password'],
    ['the password has 7 characters', (b) => ({ ...b, password: 'abcdefg' }), 'password'],
    ['the password has 257 characters', (b) => ({ ...b, password: 'p'.repeat(257) }), 'password'],
    ['the email is not an email', (b) => ({ ...b, email: 'sam.example.test' }), 'email'],
    [
      'the email has 255 characters',
      (b) => ({ ...b, email: `${'a'.repeat(64)}@${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(61)}.test` }),
      'email',
    ],
    ['the email has 65 characters before the @', (b) => ({ ...b, email: `${'a'.repeat(65)}@example.test` }), 'email'],
    ['a domain label has 64 characters', (b) => ({ ...b, email: `sam@${'b'.repeat(64)}.test` }), 'email'],
    ['a domain label ends with a hyphen', (b) => ({ ...b, email: 'sam@example-.test' }), 'email'],
    ['the displayName is only spaces', (b) => ({ ...b, displayName: '   ' }), 'displayName'],
    ['the displayName contains U+0000', (b) => ({ ...b, displayName: 'Sam\u0000' }), 'displayName'],
    ['the displayName has 81 characters', (b) => ({ ...b, displayName: 'd'.repeat(81) }), 'displayName'],
    ['an unknown field is sent', (b) => ({ ...b, role: 'admin' }), 'role'],
    ['an id is sent', (b) => ({ ...b, id: randomUUID() }), 'id'],
  ];
  for (const [why, change, field] of badBodies) {
    test(`when ${why}, then 400 VALIDATION naming the field, and no account`, async () => {
      const rowsBefore = await allRows();
      const body = change(valid());
      const answer = await call<ValidationJson>(`${api.url}/v1/users`, { body });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.code, 'VALIDATION');
      // A bad field is named by the issue's path; an unknown one (the object is strict) in its message.
      const named = answer.body.error.issues.some(
        (issue) => issue.path === field || (issue.path === '' && issue.message.includes(`"${field}"`)),
      );
      assert.ok(named, JSON.stringify(answer.body.error.issues));
      if (typeof body.email === 'string') assert.equal(await rowsWithEmail(body.email), 0);
      else assert.equal(await allRows(), rowsBefore);
    });
  }

  test('when a 254-character email and an 80-character displayName are sent, then they are accepted (the limits are inclusive)', async () => {
    // 64 characters before the @ (the most RFC 5321 allows), then labels of at most 63.
    const local = `${randomUUID()}${'a'.repeat(64 - 36)}`;
    const email = `${local}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(56)}.test`;
    assert.equal(email.length, 254);
    const answer = await register({ email, password: 'p'.repeat(8), displayName: 'd'.repeat(80) });
    assert.equal(answer.status, 201);
  });

  for (const raw of ['[]', '[{"email":"a@example.test"}]', '{}']) {
    test(`when the body is ${raw}, then 400 VALIDATION, and no account`, async () => {
      const before = await allRows();
      const answer = await call<ErrorJson>(`${api.url}/v1/users`, { raw });
      assert.deepEqual([answer.status, answer.body.error.code], [400, 'VALIDATION']);
      assert.equal(await allRows(), before);
    });
  }

  test('when there is no JSON body at all, then 400 VALIDATION, not 500', async () => {
    const response = await fetch(`${api.url}/v1/users`, { method: 'POST', body: 'email=a@example.test' });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as ErrorJson).error.code, 'VALIDATION');
  });

  for (const raw of ['"x"', 'null', '5', 'true']) {
    test(`when the body is the JSON ${raw}, then the app's strict parser answers 400 MALFORMED_JSON`, async () => {
      const answer = await call<ErrorJson>(`${api.url}/v1/users`, { raw });
      assert.deepEqual([answer.status, answer.body.error.code], [400, 'MALFORMED_JSON']);
    });
  }

  describe('behind a JSON parser that lets any JSON through', () => {
    let lenient: AccountsApi;
    before(async () => {
      lenient = await startAccountsApi({ db: db.db, tokens, strictJson: false });
    });
    after(() => lenient.close());

    for (const raw of ['"x"', 'null', '5', 'true', '[]']) {
      for (const path of ['/v1/users', '/v1/auth/token']) {
        test(`when ${path} gets the JSON ${raw}, then 400 VALIDATION, not 500`, async () => {
          const answer = await call<ErrorJson>(`${lenient.url}${path}`, { raw });
          assert.deepEqual([answer.status, answer.body.error.code], [400, 'VALIDATION']);
        });
      }
    }
  });
});

describe('POST /v1/auth/token', () => {
  let user: UserJson;
  let email: string;
  before(async () => {
    email = newEmail('signin');
    user = (await register({ email, password: PASSWORD, displayName: 'Sig' })).body;
  });

  test('when the credentials are right, then 200 with a Bearer token for the user, verifiable with the served JWKS, and a refresh token', async () => {
    const { status, body } = await signIn({ email, password: PASSWORD });
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body).sort(), [
      'accessToken',
      'expiresIn',
      'refreshToken',
      'refreshTokenExpiresIn',
      'tokenType',
    ]);
    assert.equal(body.tokenType, 'Bearer');
    assert.equal(body.expiresIn, 900);
    const jwks = await call<JSONWebKeySet>(`${api.url}/.well-known/jwks.json`);
    assert.equal(decodeProtectedHeader(body.accessToken).kid, jwks.body.keys[0]?.kid);
    // As another service would: only the public JWKS, the algorithm and the issuer.
    const { payload } = await jwtVerify(body.accessToken, createLocalJWKSet(jwks.body), {
      algorithms: ['ES256'],
      issuer: ISSUER,
    });
    assert.equal(payload.sub, user.id);
  });

  test('when the email is typed in another case with spaces, then it signs in all the same', async () => {
    assert.equal((await signIn({ email: `  ${email.toUpperCase()}  `, password: PASSWORD })).status, 200);
  });

  test('when the password is wrong, then 401 INVALID_CREDENTIALS', async () => {
    const answer = await call<ErrorJson>(`${api.url}/v1/auth/token`, { body: { email, password: `${PASSWORD}!` } });
    assert.deepEqual([answer.status, answer.body.error.code], [401, 'INVALID_CREDENTIALS']);
  });

  test('when the email is unknown, or the account has no password (SSO only), then the very same 401 as a wrong password', async () => {
    const wrongPassword = await signIn({ email, password: `${PASSWORD}!` });
    const unknownEmail = await signIn({ email: newEmail('nobody'), password: PASSWORD });
    const ssoOnly = await insertUser(db.db, 'sso');
    const noPassword = await signIn({ email: ssoOnly.email, password: PASSWORD });
    assert.equal(wrongPassword.status, 401);
    assert.deepEqual(unknownEmail, wrongPassword);
    assert.deepEqual(noPassword, wrongPassword);
  });

  test('when the email is unknown, then answering takes about as long as for a wrong password (a scrypt either way)', async () => {
    const median = async (body: unknown) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await signIn(body);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[2]!;
    };
    const wrong = await median({ email, password: 'wrong password' });
    const unknown = await median({ email: newEmail('nobody'), password: 'wrong password' });
    // Skipping the scrypt would make an unknown email ~50x faster; this only has to tell the two apart.
    assert.ok(unknown > wrong * 0.4, `unknown email ${unknown.toFixed(1)} ms vs wrong password ${wrong.toFixed(1)} ms`);
  });

  for (const [why, body] of [
    ['the password is missing', { email: 'a@example.test' }],
    ['the password is empty', { email: 'a@example.test', password: '' }],
    ['the email is not an email', { email: 'nope', password: PASSWORD }],
    ['an unknown field is sent', { email: 'a@example.test', password: PASSWORD, remember: true }],
  ] as const) {
    test(`when ${why}, then 400 VALIDATION`, async () => {
      const answer = await call<ErrorJson>(`${api.url}/v1/auth/token`, { body });
      assert.deepEqual([answer.status, answer.body.error.code], [400, 'VALIDATION']);
    });
  }
});

describe('GET /.well-known/jwks.json', () => {
  test('when it is fetched, then it holds the public key (no private part) and may be cached for 5 minutes', async () => {
    const response = await fetch(`${api.url}/.well-known/jwks.json`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=300');
    const { keys } = (await response.json()) as JSONWebKeySet;
    assert.equal(keys.length, 1);
    assert.deepEqual(
      { kty: keys[0]?.kty, crv: keys[0]?.crv, alg: keys[0]?.alg, use: keys[0]?.use, d: keys[0]?.d },
      { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', d: undefined },
    );
    assert.equal(keys[0]?.kid, tokens.jwks().keys[0]?.kid);
  });
});

describe('GET /v1/users/me', () => {
  let user: UserJson;
  let token: string;
  let kid: string;
  before(async () => {
    const email = newEmail('me');
    user = (await register({ email, password: PASSWORD, displayName: 'Me' })).body;
    token = (await signIn({ email, password: PASSWORD })).body.accessToken;
    kid = tokens.jwks().keys[0]!.kid;
  });
  /** A token with issue()'s header and claims for this user, changed as given. */
  const crafted = (
    header: Record<string, unknown> = {},
    payload: Record<string, unknown> = {},
    signer = es256Signer(privateKeyPem),
  ) =>
    craftToken({ alg: 'ES256', kid, typ: 'JWT', ...header }, claims({ sub: user.id, iss: ISSUER, ...payload }), signer);

  test('when a valid token is sent, then 200 with the signed-in user, their role and whether they are blocked', async () => {
    const answer = await me(`Bearer ${token}`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { ...user, role: 'user', blocked: false });
  });

  test('when the scheme is written in lower case, then the token is accepted (schemes are case-insensitive)', async () => {
    assert.equal((await me(`bearer ${token}`)).status, 200);
  });

  test('when a token made by hand with the right key and claims is sent, then 200 (so the refusals below are for their one flaw)', async () => {
    assert.equal((await me(`Bearer ${crafted()}`)).status, 200);
  });

  for (const [why, authorization] of [
    ['there is no Authorization header', undefined],
    ['the scheme is Basic', `Basic ${Buffer.from('me:pw').toString('base64')}`],
    ['the Bearer scheme has no token', 'Bearer '],
  ] as const) {
    test(`when ${why}, then 401 UNAUTHENTICATED with WWW-Authenticate: Bearer`, async () => {
      const response = await fetch(`${api.url}/v1/users/me`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      assert.equal(((await response.json()) as ErrorJson).error.code, 'UNAUTHENTICATED');
    });
  }

  const invalid: [string, () => string][] = [
    ['garbage', () => 'garbage'],
    ['a token cut short', () => token.slice(0, -10)],
    [
      'an expired token',
      () => crafted({}, { iat: Math.floor(Date.now() / 1000) - 1000, exp: Math.floor(Date.now() / 1000) - 100 }),
    ],
    ['a token signed by another ES256 key', () => crafted({}, {}, es256Signer(newEs256PrivateKeyPem()))],
    ['an alg none token without signature', () => crafted({ alg: 'none' }, {}, () => Buffer.alloc(0))],
    [
      'an HS256 token signed with the public key as the secret',
      () => crafted({ alg: 'HS256' }, {}, hs256Signer(publicKeyPemOf(tokens.jwks().keys[0]!))),
    ],
    ['a token of another issuer', () => crafted({}, { iss: 'someone-else' })],
  ];
  for (const [why, tokenOf] of invalid) {
    test(`when ${why} is sent, then 401 INVALID_TOKEN with one message that tells nothing of why`, async () => {
      const response = await fetch(`${api.url}/v1/users/me`, { headers: { authorization: `Bearer ${tokenOf()}` } });
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
      const { error } = (await response.json()) as ErrorJson;
      assert.deepEqual(error, { code: 'INVALID_TOKEN', message: 'The access token is invalid or has expired' });
    });
  }

  test('when the token is valid but its account no longer exists, then 404 NOT_FOUND', async () => {
    const { accessToken } = await tokens.issue(randomUUID());
    const answer = await call<ErrorJson>(`${api.url}/v1/users/me`, { token: accessToken });
    assert.deepEqual([answer.status, answer.body.error.code], [404, 'NOT_FOUND']);
  });
});
