/**
 * Refresh tokens over real HTTP and Postgres: a sign-in hands one out, each refresh rotates it, a used
 * one shown again revokes its whole family (reuse detection), logout revokes a family and nothing else,
 * expired ones are refused, and only hashes are stored.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { AppError } from '../api/errors.js';
import { RefreshTokenStore } from '../api/auth/refresh-tokens.js';
import { refreshTokens, users } from '../db/schema.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, type ErrorJson, type SessionJson } from './helpers/http.js';

const PASSWORD = 'correct horse battery staple';

let database: TestDatabase;
let api: TestApi;
before(async () => {
  database = await createTestDatabase();
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: `refresh-${randomUUID()}` });
});
after(async () => {
  await api.close();
  await database.drop();
});

async function newAccount(baseUrl = api.url): Promise<{ id: string; email: string }> {
  const email = `user-${randomUUID()}@example.test`;
  const user = await call<{ id: string }>(`${baseUrl}/v1/users`, {
    body: { email, password: PASSWORD, displayName: 'R' },
  });
  assert.equal(user.status, 201);
  return { id: user.body.id, email };
}

async function signIn(email: string, baseUrl = api.url): Promise<SessionJson> {
  const answer = await call<SessionJson>(`${baseUrl}/v1/auth/token`, { body: { email, password: PASSWORD } });
  assert.equal(answer.status, 200);
  return answer.body;
}

const refresh = (refreshToken: unknown, baseUrl = api.url) =>
  call<SessionJson & ErrorJson>(`${baseUrl}/v1/auth/refresh`, { body: { refreshToken } });
const logout = (refreshToken: unknown) => call<ErrorJson>(`${api.url}/v1/auth/logout`, { body: { refreshToken } });
const me = (token: string) => call<{ id: string }>(`${api.url}/v1/users/me`, { token });

function assertRefused(answer: { status: number; body: ErrorJson }) {
  assert.deepEqual([answer.status, answer.body.error?.code], [401, 'INVALID_REFRESH_TOKEN']);
}

describe('rotation', () => {
  test('when a refresh token is used, then new tokens come back, not cacheable, and the new access token works', async () => {
    const { id, email } = await newAccount();
    const first = await signIn(email);
    assert.match(first.refreshToken, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(first.refreshTokenExpiresIn, 30 * 24 * 3600);
    const response = await fetch(`${api.url}/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: first.refreshToken }),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const next = (await response.json()) as SessionJson;
    assert.notEqual(next.refreshToken, first.refreshToken);
    assert.notEqual(next.accessToken, first.accessToken);
    assert.equal(next.tokenType, 'Bearer');
    assert.equal((await me(next.accessToken)).body.id, id);
  });

  test('when each new refresh token is used in turn, then the chain goes on', async () => {
    const { email } = await newAccount();
    let token = (await signIn(email)).refreshToken;
    for (let i = 0; i < 4; i++) {
      const answer = await refresh(token);
      assert.equal(answer.status, 200, `step ${i}`);
      token = answer.body.refreshToken;
    }
  });

  test('when a used refresh token is shown again, then 401, and the family is revoked: the newer token stops working too', async () => {
    const { email } = await newAccount();
    const first = await signIn(email);
    const second = (await refresh(first.refreshToken)).body;
    const third = (await refresh(second.refreshToken)).body;
    assertRefused(await refresh(first.refreshToken)); // a thief's copy, or the owner's: either way two hold it
    assertRefused(await refresh(third.refreshToken));
    // Other sign-ins of the same person are other families, untouched.
    const elsewhere = await signIn(email);
    assert.equal((await refresh(elsewhere.refreshToken)).status, 200);
  });

  test('when one refresh token is used five times at once, then exactly one succeeds, and the family is revoked', async () => {
    const { email } = await newAccount();
    const { refreshToken } = await signIn(email);
    const answers = await Promise.all(Array.from({ length: 5 }, () => refresh(refreshToken)));
    const winners = answers.filter((answer) => answer.status === 200);
    assert.equal(winners.length, 1, JSON.stringify(answers.map((a) => a.status)));
    for (const loser of answers.filter((answer) => answer.status !== 200)) assertRefused(loser);
    assertRefused(await refresh(winners[0]!.body.refreshToken));
  });

  test('when a refresh token is unknown or malformed, then 401 or 400, in the error shape', async () => {
    assertRefused(await refresh('A'.repeat(43)));
    assertRefused(await refresh('not even base64url!'));
    for (const body of [
      {},
      { refreshToken: '' },
      { refreshToken: 5 },
      { refreshToken: 'x'.repeat(257) },
      { refreshToken: 'a', extra: 1 },
    ]) {
      const answer = await call<ErrorJson>(`${api.url}/v1/auth/refresh`, { body });
      assert.deepEqual([answer.status, answer.body.error.code], [400, 'VALIDATION'], JSON.stringify(body));
    }
  });
});

describe('logout', () => {
  test('when someone logs out, then 204, their refresh tokens stop working, and their other sessions do not', async () => {
    const { email } = await newAccount();
    const phone = await signIn(email);
    const laptop = await signIn(email);
    const rotated = (await refresh(phone.refreshToken)).body;
    const answer = await logout(phone.refreshToken); // an older token of the family: the family goes
    assert.equal(answer.status, 204);
    assertRefused(await refresh(rotated.refreshToken));
    assert.equal((await refresh(laptop.refreshToken)).status, 200);
  });

  test('when logging out twice or with an unknown token, then 204 all the same', async () => {
    const { email } = await newAccount();
    const { refreshToken } = await signIn(email);
    assert.equal((await logout(refreshToken)).status, 204);
    assert.equal((await logout(refreshToken)).status, 204);
    assert.equal((await logout('B'.repeat(43))).status, 204);
    assert.equal((await logout(42)).status, 400);
  });
});

describe('storage and expiry', () => {
  test('when a refresh token is issued, then Postgres holds its SHA-256, never the token', async () => {
    const { id, email } = await newAccount();
    const { refreshToken } = await signIn(email);
    const rows = await database.db.select().from(refreshTokens).where(eq(refreshTokens.userId, id));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.tokenHash, createHash('sha256').update(refreshToken).digest('base64url'));
    assert.ok(!JSON.stringify(rows).includes(refreshToken));
  });

  test('when a refresh token has expired, then 401, and the next sign-in deletes the expired rows', async () => {
    const shortLived = await startTestApi({
      DATABASE_URL: database.url,
      TEMPORAL_TASK_QUEUE: `refresh-${randomUUID()}`,
      REFRESH_TOKEN_TTL_SECONDS: '1',
    });
    try {
      const { id, email } = await newAccount(shortLived.url);
      const session = await signIn(email, shortLived.url);
      assert.equal(session.refreshTokenExpiresIn, 1);
      const fresh = await refresh(session.refreshToken, shortLived.url);
      assert.equal(fresh.status, 200, 'usable before it expires');
      await new Promise((resolve) => setTimeout(resolve, 1300));
      assertRefused(await refresh(fresh.body.refreshToken, shortLived.url));
      // The next sign-in clears the expired rows away.
      assert.equal((await database.db.select().from(refreshTokens).where(eq(refreshTokens.userId, id))).length, 2);
      await signIn(email, shortLived.url);
      assert.equal((await database.db.select().from(refreshTokens).where(eq(refreshTokens.userId, id))).length, 1);
    } finally {
      await shortLived.close();
    }
  });
});

describe('a deleted account', () => {
  test('when a refresh token outlived the deletion (a refresh racing with it), then it is refused, and no session starts', async () => {
    const { id, email } = await newAccount();
    const session = await signIn(email);
    // What the race leaves: the account deleted, one of its tokens committed just after the deletion's sweep.
    await database.db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, id));
    assertRefused(await refresh(session.refreshToken));
    const store = new RefreshTokenStore(database.db, 60);
    await assert.rejects(store.start(id), (error: unknown) => error instanceof AppError && error.status === 401);
    const [row] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(refreshTokens)
      .where(eq(refreshTokens.userId, id));
    assert.equal(row?.n, 1, 'only the token from before: none was added');
  });
});
