/**
 * Secrets never reach the logs: the API runs at the most verbose level (trace, so access logs with
 * request headers and every client error are written) with the logger main.ts uses, writing into
 * memory, while accounts sign up, sign in, fail to, and send broken bodies that hold a password.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createLogger } from '../config/logger.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call } from './helpers/http.js';

const lines: string[] = [];
let database: TestDatabase;
let api: TestApi;
before(async () => {
  database = await createTestDatabase();
  const logger = createLogger({ LOG_LEVEL: 'trace' }, 'api', { write: (line: string) => void lines.push(line) });
  api = await startTestApi({ DATABASE_URL: database.url }, logger);
});
after(async () => {
  await api.close();
  await database.drop();
});

test('when accounts sign up, sign in, fail to and send broken bodies at trace level, then no password or token is logged', async () => {
  const email = `logged-${randomUUID()}@example.test`;
  const password = `secret-${randomUUID()}`;
  const wrongPassword = `guess-${randomUUID()}`;
  const signIn = (body: unknown) => call<{ accessToken: string }>(`${api.url}/v1/auth/token`, { body });

  assert.equal((await call(`${api.url}/v1/users`, { body: { email, password, displayName: 'Logged' } })).status, 201);
  const signedIn = await signIn({ email, password });
  assert.equal(signedIn.status, 200);
  const token = signedIn.body.accessToken;
  assert.equal((await signIn({ email, password: wrongPassword })).status, 401);
  assert.equal((await call(`${api.url}/v1/users/me`, { token })).status, 200);
  // Errors that are logged (at debug) with what the client sent: JSON cut short, an unknown field.
  const malformed = await call(`${api.url}/v1/auth/token`, { raw: `{"email":"${email}","password":"${password}"` });
  assert.equal(malformed.status, 400);
  assert.equal((await signIn({ email, password, remember: true })).status, 400);
  // A token that does not verify, sent whole: the header is logged, so it must be redacted there too.
  assert.equal((await call(`${api.url}/v1/users/me`, { token: `${token}x` })).status, 401);
  // Refresh tokens: used, and sent in a body cut short (kept on the parse error).
  const { refreshToken } = signedIn.body as unknown as { refreshToken: string };
  assert.equal((await call(`${api.url}/v1/auth/refresh`, { body: { refreshToken } })).status, 200);
  assert.equal((await call(`${api.url}/v1/auth/logout`, { raw: `{"refreshToken":"${refreshToken}"` })).status, 400);

  const log = lines.join('');
  // The capture worked: the access log of each request and the parse error are there.
  assert.ok(
    lines.some((line) => line.includes('"url":"/v1/auth/token"')),
    'access logs were written',
  );
  assert.ok(
    lines.some((line) => line.includes('MALFORMED_JSON')),
    'the parse error was logged',
  );
  assert.ok(log.includes('[redacted]'), 'the Authorization header was logged, redacted');
  for (const [what, secret] of [
    ['the password', password],
    ['the wrong password', wrongPassword],
    ['the access token', token],
    ["the token's signature", token.split('.')[2]!],
    ['the refresh token', refreshToken],
  ] as const) {
    assert.equal(log.includes(secret), false, `${what} appears in the log`);
  }
});
