/**
 * Moderation over real HTTP on the test stack: who is an admin (a granted role, or ADMIN_EMAILS, also
 * for an account made after the API started), the admin routes' guard, roles, blocking (a blocked
 * account's existing tokens are refused on bids, claims and selling, in this process at once and in
 * another within the poll), admins' cancels, and the audit entry each change writes, and no other.
 * No worker runs the workflows: these tests hold what the API decides.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { AuditEntryJson, AuditPageJson, ModeratedUserJson } from '../api/admin/responses.js';
import { BLOCK_POLL_MS } from '../api/moderation/account-blocks.js';
import { users } from '../db/schema.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { createSale } from './helpers/flash-sales.js';
import { call, signUp, type AuctionJson, type ErrorJson } from './helpers/http.js';
import { newEs256PrivateKeyPem } from './helpers/jwt.js';
import { eventually } from './helpers/listing.js';

type User = { id: string; token: string; email: string };

/** Not signed up yet when the API starts: ADMIN_EMAILS must still make this account an admin. */
const BOSS_EMAIL = `boss-${randomUUID()}@example.test`;

let database: TestDatabase;
/** The API the tests talk to. */
let api: TestApi;
/** A second API process on the same database, Redis and signing key: it hears of blocks by the poll only. */
let other: TestApi;
let boss: User;
let seller: User;
let bidder: User;

const auditCount = async () =>
  Number((await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_log')).rows[0]!.n);

const admin = (
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
) => call<ModeratedUserJson & ErrorJson>(`${api.url}/v1/admin${path}`, { token: boss.token, ...init });

const auditOf = async (query = '') => {
  const answer = await call<AuditPageJson & ErrorJson>(`${api.url}/v1/admin/audit${query}`, { token: boss.token });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.items;
};

async function openAuction(owner: User, seconds = 3600): Promise<AuctionJson> {
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: owner.token,
    body: {
      title: 'A lot for the moderators',
      startingPrice: 1000,
      endsAt: new Date(Date.now() + seconds * 1000).toISOString(),
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

const bid = (url: string, who: User, auctionId: string, amount: number) =>
  call<ErrorJson & { seq?: number }>(`${url}/v1/auctions/${auctionId}/bids`, { token: who.token, body: { amount } });

before(async () => {
  database = await createTestDatabase();
  const config = {
    DATABASE_URL: database.url,
    // No worker polls it: auctions and sales are scheduled, and their workflows wait.
    TEMPORAL_TASK_QUEUE: `moderation-${randomUUID()}`,
    JWT_PRIVATE_KEY: newEs256PrivateKeyPem(),
    ADMIN_EMAILS: `someone-else@example.test, ${BOSS_EMAIL.toUpperCase()}`,
  };
  [api, other] = await Promise.all([startTestApi(config), startTestApi(config)]);
  [boss, seller, bidder] = await Promise.all([
    signUpAs(BOSS_EMAIL, 'boss'),
    signUp(api.url, 'seller'),
    signUp(api.url, 'bidder'),
  ]);
});
after(async () => {
  await Promise.all([api.close(), other.close()]);
  await database.drop();
});

/** signUp with a chosen email (the helper makes a random one). */
async function signUpAs(email: string, name: string): Promise<User> {
  const password = 'correct horse battery staple';
  const created = await call<{ id: string }>(`${api.url}/v1/users`, { body: { email, password, displayName: name } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const token = await call<{ accessToken: string }>(`${api.url}/v1/auth/token`, { body: { email, password } });
  return { id: created.body.id, token: token.body.accessToken, email };
}

describe('who is an admin', () => {
  test('when an account signs up after start with an email in ADMIN_EMAILS (in another case), then it is an admin', async () => {
    const me = await call<{ role: string; blocked: boolean }>(`${api.url}/v1/users/me`, { token: boss.token });
    assert.deepEqual([me.status, me.body.role, me.body.blocked], [200, 'admin', false]);
    assert.equal((await call(`${api.url}/v1/admin/audit`, { token: boss.token })).status, 200);
    const [row] = await database.db.select({ role: users.role }).from(users).where(eq(users.id, boss.id));
    assert.equal(row?.role, 'user', 'nothing was written: the rule is applied at each request');
  });

  test("when an admin calls, then the answer names the request as its audit entries will: the client's id, or one made up", async () => {
    const named = await fetch(`${api.url}/v1/admin/users/${seller.id}`, {
      headers: { authorization: `Bearer ${boss.token}`, 'x-request-id': 'trace-42.a:b' },
    });
    assert.equal(named.headers.get('x-request-id'), 'trace-42.a:b');
    const odd = await fetch(`${api.url}/v1/admin/users/${seller.id}`, {
      headers: { authorization: `Bearer ${boss.token}`, 'x-request-id': 'two words' },
    });
    assert.match(odd.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    await Promise.all([named.body?.cancel(), odd.body?.cancel()]);
  });

  test('when anyone else asks, then GET /v1/users/me says user', async () => {
    const me = await call<{ role: string }>(`${api.url}/v1/users/me`, { token: seller.token });
    assert.equal(me.body.role, 'user');
  });

  const routes: [string, string, unknown?][] = [
    ['GET', '/users/ID'],
    ['PUT', '/users/ID/role', { role: 'admin' }],
    ['POST', '/users/ID/block', { reason: 'spam' }],
    ['POST', '/users/ID/unblock', { reason: 'spam' }],
    ['POST', '/auctions/ID/cancel', { reason: 'fraud' }],
    ['POST', '/sales/ID/cancel', { reason: 'fraud' }],
    ['GET', '/audit'],
    ['GET', '/no-such-route'],
  ];

  test('when a non-admin calls any admin route, then 403 FORBIDDEN, nothing changes and nothing is logged', async () => {
    const auction = await openAuction(seller);
    const before = await auditCount();
    for (const [method, path, body] of routes) {
      // Every id a real one: the guard answers before any lookup.
      const url = `${api.url}/v1/admin${path.replace('ID', path.startsWith('/users') ? bidder.id : auction.id)}`;
      const answer = await call<ErrorJson>(url, { method, token: seller.token, body });
      assert.deepEqual([answer.status, answer.body.error.code], [403, 'FORBIDDEN'], `${method} ${path}`);
    }
    assert.equal(await auditCount(), before);
    const [row] = await database.db.select().from(users).where(eq(users.id, bidder.id));
    assert.deepEqual([row?.role, row?.blockedAt], ['user', null]);
    assert.equal((await call<AuctionJson>(`${api.url}/v1/auctions/${auction.id}`)).body.status, 'open');
  });

  test('when no token or a bad one is sent, then 401 before anything else', async () => {
    for (const [method, path, body] of routes) {
      const url = `${api.url}/v1/admin${path.replace('ID', randomUUID())}`;
      const none = await call<ErrorJson>(url, { method, body });
      assert.deepEqual([none.status, none.body.error.code], [401, 'UNAUTHENTICATED'], `${method} ${path}`);
      const bad = await call<ErrorJson>(url, { method, body, token: `${boss.token}x` });
      assert.deepEqual([bad.status, bad.body.error.code], [401, 'INVALID_TOKEN'], `${method} ${path}`);
    }
  });
});

describe('roles', () => {
  test('when an admin grants the role, then the account is an admin at once; taken back, it is not; each change logged once', async () => {
    const deputy = await signUp(api.url, 'deputy');
    const granted = await admin(`/users/${deputy.id}/role`, {
      method: 'PUT',
      body: { role: 'admin', reason: 'new moderator' },
      headers: { 'x-request-id': 'req-grant-1' },
    });
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    assert.deepEqual(
      [granted.body.role, granted.body.grantedRole, granted.body.adminByConfig],
      ['admin', 'admin', false],
    );
    assert.equal((await call(`${api.url}/v1/admin/audit`, { token: deputy.token })).status, 200, 'the deputy may now');
    assert.equal((await call<{ role: string }>(`${api.url}/v1/users/me`, { token: deputy.token })).body.role, 'admin');

    const [entry] = await auditOf(`?target=${deputy.id}`);
    assert.deepEqual(
      [entry?.action, entry?.actorId, entry?.targetType, entry?.reason, entry?.details, entry?.requestId],
      ['role_changed', boss.id, 'user', 'new moderator', { from: 'user', to: 'admin' }, 'req-grant-1'],
    );

    const before = await auditCount();
    const again = await admin(`/users/${deputy.id}/role`, { method: 'PUT', body: { role: 'admin' } });
    assert.equal(again.status, 200);
    assert.equal(await auditCount(), before, 'the role it had: nothing changed, nothing logged');

    // The deputy, now an admin, takes a role back too: the entry names the deputy.
    const taken = await call<ModeratedUserJson>(`${api.url}/v1/admin/users/${deputy.id}/role`, {
      method: 'PUT',
      token: deputy.token,
      body: { role: 'user' },
    });
    assert.deepEqual([taken.status, taken.body.role], [200, 'user']);
    const refused = await call<ErrorJson>(`${api.url}/v1/admin/audit`, { token: deputy.token });
    assert.deepEqual([refused.status, refused.body.error.code], [403, 'FORBIDDEN']);
    const [latest] = await auditOf(`?target=${deputy.id}`);
    assert.deepEqual(
      [latest?.actorId, latest?.details, latest?.reason],
      [deputy.id, { from: 'admin', to: 'user' }, null],
    );
  });

  test('when an admin by ADMIN_EMAILS is set to user, then 409 ADMIN_BY_CONFIG and nothing changes', async () => {
    const before = await auditCount();
    const answer = await admin(`/users/${boss.id}/role`, { method: 'PUT', body: { role: 'user' } });
    assert.deepEqual([answer.status, answer.body.error.code], [409, 'ADMIN_BY_CONFIG']);
    assert.equal(await auditCount(), before);
    const read = await admin(`/users/${boss.id}`);
    assert.deepEqual([read.body.role, read.body.grantedRole, read.body.adminByConfig], ['admin', 'user', true]);
  });
});

describe('bad input changes nothing', () => {
  test('when the user, auction or sale does not exist (or the id is malformed), then 404 and nothing is logged', async () => {
    const before = await auditCount();
    for (const id of [randomUUID(), 'not-a-uuid', `${randomUUID()}0`]) {
      for (const [method, path, body] of [
        ['GET', `/users/${id}`],
        ['PUT', `/users/${id}/role`, { role: 'admin' }],
        ['POST', `/users/${id}/block`, { reason: 'spam' }],
        ['POST', `/users/${id}/unblock`, { reason: 'spam' }],
        ['POST', `/auctions/${id}/cancel`, { reason: 'fraud' }],
        ['POST', `/sales/${id}/cancel`, { reason: 'fraud' }],
      ] as const) {
        const answer = await admin(path, { method, body });
        assert.deepEqual([answer.status, answer.body.error.code], [404, 'NOT_FOUND'], `${method} ${path}`);
      }
    }
    assert.equal(await auditCount(), before);
  });

  test('when a deleted account is named, then 404: it is gone to admins too', async () => {
    const leaving = await signUp(api.url, 'leaving');
    assert.equal((await call(`${api.url}/v1/users/me`, { method: 'DELETE', token: leaving.token })).status, 204);
    const answer = await admin(`/users/${leaving.id}/block`, { method: 'POST', body: { reason: 'too late' } });
    assert.equal(answer.status, 404);
  });

  test('when a body is bad, then 400 VALIDATION and nothing changes', async () => {
    const auction = await openAuction(seller);
    const before = await auditCount();
    const cases: [string, string, unknown][] = [
      ['PUT', `/users/${bidder.id}/role`, { role: 'superuser' }],
      ['PUT', `/users/${bidder.id}/role`, {}],
      ['PUT', `/users/${bidder.id}/role`, { role: 'admin', extra: true }],
      ['PUT', `/users/${bidder.id}/role`, { role: 'admin', reason: '   ' }],
      ['POST', `/users/${bidder.id}/block`, {}],
      ['POST', `/users/${bidder.id}/block`, { reason: '' }],
      ['POST', `/users/${bidder.id}/block`, { reason: ' \n ' }],
      ['POST', `/users/${bidder.id}/block`, { reason: 'x'.repeat(501) }],
      ['POST', `/users/${bidder.id}/block`, { reason: 'nul \u0000 inside' }],
      ['POST', `/users/${bidder.id}/block`, { reason: 42 }],
      ['POST', `/users/${bidder.id}/block`, { reason: 'spam', until: 'forever' }],
      ['POST', `/users/${bidder.id}/block`, ['spam']],
      ['POST', `/users/${bidder.id}/unblock`, {}],
      ['POST', `/auctions/${auction.id}/cancel`, {}],
      ['POST', `/auctions/${auction.id}/cancel`, { reason: null }],
      ['POST', `/sales/${randomUUID()}/cancel`, { reason: '' }],
    ];
    for (const [method, path, body] of cases) {
      const answer = await admin(path, { method, body });
      assert.deepEqual(
        [answer.status, answer.body.error.code],
        [400, 'VALIDATION'],
        `${method} ${path} ${JSON.stringify(body)}`,
      );
    }
    const malformed = await admin(`/users/${bidder.id}/block`, { method: 'POST', headers: {}, body: undefined });
    assert.equal(malformed.status, 400, 'no body at all');
    assert.equal(await auditCount(), before);
    const [row] = await database.db.select().from(users).where(eq(users.id, bidder.id));
    assert.deepEqual([row?.role, row?.blockedAt, row?.blockVersion], ['user', null, 0]);
    assert.equal((await call<AuctionJson>(`${api.url}/v1/auctions/${auction.id}`)).body.status, 'open');
  });

  test('when the audit query is bad, then 400', async () => {
    for (const query of [
      '?cursor=garbage',
      '?cursor=eyJuIjotMX0',
      '?actor=nope',
      '?limit=0',
      '?limit=101',
      '?target=',
      '?color=red',
    ]) {
      const answer = await call<ErrorJson>(`${api.url}/v1/admin/audit${query}`, { token: boss.token });
      assert.equal(answer.status, 400, query);
      assert.ok(['VALIDATION', 'INVALID_CURSOR'].includes(answer.body.error.code), query);
    }
  });
});

describe('blocking', () => {
  test('when an account is blocked, then its existing tokens are refused on bids, claims and selling, here at once and on another process within the poll; reading and its own account stay open', async () => {
    const victim = await signUp(api.url, 'victim');
    const auction = await openAuction(seller);
    const sale = await createSale(api.url, seller.token, { stock: 10, perUserLimit: 5 });
    const ownAuction = await openAuction(victim);
    assert.equal((await bid(other.url, victim, auction.id, 1000)).status, 201, 'bids before the block');
    // The other process has verified (and cached) the victim's token before the block.

    const blocked = await admin(`/users/${victim.id}/block`, {
      method: 'POST',
      body: { reason: 'shill bidding' },
      headers: { 'x-request-id': 'req-block-1' },
    });
    assert.equal(blocked.status, 200, JSON.stringify(blocked.body));
    assert.deepEqual([blocked.body.blocked, blocked.body.blockedReason], [true, 'shill bidding']);

    const refused = (answer: { status: number; body: ErrorJson }, what: string) =>
      assert.deepEqual([answer.status, answer.body.error?.code], [403, 'ACCOUNT_BLOCKED'], what);
    // This process: at once.
    refused(await bid(api.url, victim, auction.id, 2000), 'bid');
    const bidAnswer = await bid(api.url, victim, auction.id, 2000);
    assert.match(bidAnswer.body.error.message, /blocked/);
    refused(
      await call(`${api.url}/v1/sales/${sale.id}/claims`, { token: victim.token, body: { quantity: 1 } }),
      'claim',
    );
    refused(
      await call(`${api.url}/v1/auctions`, { token: victim.token, body: { title: 'x', startingPrice: 1 } }),
      'a new auction (refused before its body is checked)',
    );
    refused(
      await call(`${api.url}/v1/sales`, { token: victim.token, body: { title: 'x', price: 1, stock: 1 } }),
      'a new sale',
    );
    for (const path of [
      `/v1/auctions/${ownAuction.id}/relist`,
      `/v1/auctions/${ownAuction.id}/second-chance`,
      `/v1/sales/${sale.id}/waitlist`,
      `/v1/offers/${randomUUID()}/accept`,
    ]) {
      refused(await call(`${api.url}${path}`, { token: victim.token, body: {} }), path);
    }
    // The other process: within the poll, with the token it cached before the block.
    await eventually(
      'the other process refuses',
      async () => (await bid(other.url, victim, auction.id, 3000)).status === 403,
      BLOCK_POLL_MS * 3,
    );
    refused(
      await call(`${other.url}/v1/sales/${sale.id}/claims`, { token: victim.token, body: { quantity: 1 } }),
      'claim elsewhere',
    );

    // Still open: their account, reading, cancelling their own auction; other bidders bid on.
    const me = await call<{ blocked: boolean; role: string }>(`${api.url}/v1/users/me`, { token: victim.token });
    assert.deepEqual([me.status, me.body.blocked], [200, true]);
    assert.equal((await call(`${api.url}/v1/auctions/${auction.id}`)).status, 200);
    assert.equal((await call(`${api.url}/v1/users/me/orders`, { token: victim.token })).status, 200);
    assert.equal((await call(`${api.url}/v1/users/me/bids`, { token: victim.token })).status, 200);
    const cancelled = await call<AuctionJson>(`${api.url}/v1/auctions/${ownAuction.id}/cancel`, {
      token: victim.token,
      body: { reason: 'changed my mind' },
    });
    assert.deepEqual([cancelled.status, cancelled.body.status], [200, 'cancelled']);
    assert.equal((await bid(api.url, bidder, auction.id, 5000)).status, 201);

    // A new sign-in works, and its token is refused the same.
    const again = await call<{ accessToken: string }>(`${api.url}/v1/auth/token`, {
      body: { email: victim.email, password: 'correct horse battery staple' },
    });
    assert.equal(again.status, 200);
    refused(await bid(api.url, { ...victim, token: again.body.accessToken }, auction.id, 9000), 'a fresh token');

    // The record, and its one entry.
    const [row] = await database.db.select().from(users).where(eq(users.id, victim.id));
    assert.deepEqual([row?.blockedReason, row?.blockVersion], ['shill bidding', 1]);
    assert.ok(row?.blockedAt);
    const entries = await auditOf(`?target=${victim.id}`);
    assert.deepEqual(
      entries.map((e: AuditEntryJson) => [e.action, e.actorId, e.reason, e.requestId]),
      [['user_blocked', boss.id, 'shill bidding', 'req-block-1']],
    );

    // Blocking again changes nothing: the first reason stays, no second entry.
    const twice = await admin(`/users/${victim.id}/block`, { method: 'POST', body: { reason: 'another reason' } });
    assert.deepEqual([twice.status, twice.body.blockedReason], [200, 'shill bidding']);
    assert.equal((await auditOf(`?target=${victim.id}`)).length, 1);

    // Unblocked: both processes accept again (the other within the poll).
    const unblocked = await admin(`/users/${victim.id}/unblock`, { method: 'POST', body: { reason: 'appeal upheld' } });
    assert.deepEqual([unblocked.status, unblocked.body.blocked, unblocked.body.blockedReason], [200, false, null]);
    assert.equal((await bid(api.url, victim, auction.id, 20_000)).status, 201);
    await eventually(
      'the other process accepts',
      async () => (await bid(other.url, victim, auction.id, 30_000)).status === 201,
      BLOCK_POLL_MS * 3,
    );
    assert.equal(
      (await call<{ blocked: boolean }>(`${api.url}/v1/users/me`, { token: victim.token })).body.blocked,
      false,
    );
    const [latest] = await auditOf(`?target=${victim.id}`);
    assert.deepEqual(
      [latest?.action, latest?.reason, latest?.details],
      ['user_unblocked', 'appeal upheld', { blockedAt: row.blockedAt.toISOString(), blockedReason: 'shill bidding' }],
    );
    const unblockedTwice = await admin(`/users/${victim.id}/unblock`, { method: 'POST', body: { reason: 'again' } });
    assert.equal(unblockedTwice.status, 200);
    assert.equal((await auditOf(`?target=${victim.id}`)).length, 2);
  });

  test('when a blocked account bids with an Idempotency-Key it used before the block, then it is refused, not answered its first decision', async () => {
    const late = await signUp(api.url, 'late');
    const auction = await openAuction(seller);
    const key = randomUUID();
    const first = await call(`${api.url}/v1/auctions/${auction.id}/bids`, {
      token: late.token,
      body: { amount: 1500 },
      headers: { 'idempotency-key': key },
    });
    assert.equal(first.status, 201);
    assert.equal((await admin(`/users/${late.id}/block`, { method: 'POST', body: { reason: 'spam' } })).status, 200);
    const retried = await call<ErrorJson>(`${api.url}/v1/auctions/${auction.id}/bids`, {
      token: late.token,
      body: { amount: 1500 },
      headers: { 'idempotency-key': key },
    });
    assert.deepEqual([retried.status, retried.body.error.code], [403, 'ACCOUNT_BLOCKED']);
  });
});

describe("admins' cancels", () => {
  test('when an admin cancels an auction with bids, then it is cancelled with the reason and logged once; again, it answers the same', async () => {
    const auction = await openAuction(seller);
    assert.equal((await bid(api.url, bidder, auction.id, 1200)).status, 201);
    const cancelled = await call<AuctionJson & ErrorJson>(`${api.url}/v1/admin/auctions/${auction.id}/cancel`, {
      token: boss.token,
      body: { reason: 'counterfeit' },
    });
    assert.deepEqual([cancelled.status, cancelled.body.status], [200, 'cancelled'], JSON.stringify(cancelled.body));
    const late = await bid(api.url, bidder, auction.id, 5000);
    assert.deepEqual([late.status, late.body.error.code], [409, 'AUCTION_NOT_OPEN']);
    const again = await call<AuctionJson>(`${api.url}/v1/admin/auctions/${auction.id}/cancel`, {
      token: boss.token,
      body: { reason: 'counterfeit, again' },
    });
    assert.deepEqual([again.status, again.body.status], [200, 'cancelled']);
    const entries = await auditOf(`?target=${auction.id.toUpperCase()}`);
    assert.deepEqual(
      entries.map((e) => [e.action, e.targetType, e.actorId, e.reason, e.details]),
      [
        [
          'auction_cancelled',
          'auction',
          boss.id,
          'counterfeit',
          { sellerId: seller.id, title: 'A lot for the moderators' },
        ],
      ],
    );
  });

  test('when an admin cancels an auction that has ended, then 409 AUCTION_CLOSED and nothing is logged', async () => {
    const auction = await openAuction(seller, 1);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const before = await auditCount();
    const answer = await call<ErrorJson>(`${api.url}/v1/admin/auctions/${auction.id}/cancel`, {
      token: boss.token,
      body: { reason: 'too late' },
    });
    assert.deepEqual([answer.status, answer.body.error.code], [409, 'AUCTION_CLOSED']);
    assert.equal(await auditCount(), before);
  });

  test('when an admin cancels a sale, then no claim is taken and it is logged once; again, 409 SALE_ENDED and no second entry', async () => {
    const sale = await createSale(api.url, seller.token, { stock: 5 });
    const cancelled = await call<{ status: string }>(`${api.url}/v1/admin/sales/${sale.id}/cancel`, {
      token: boss.token,
      body: { reason: 'prohibited item' },
    });
    assert.deepEqual([cancelled.status, cancelled.body.status], [200, 'cancelled']);
    const claim = await call<ErrorJson>(`${api.url}/v1/sales/${sale.id}/claims`, {
      token: bidder.token,
      body: { quantity: 1 },
    });
    assert.deepEqual([claim.status, claim.body.error.code], [409, 'SALE_NOT_OPEN']);
    const again = await call<ErrorJson>(`${api.url}/v1/admin/sales/${sale.id}/cancel`, {
      token: boss.token,
      body: { reason: 'prohibited item' },
    });
    assert.deepEqual([again.status, again.body.error.code], [409, 'SALE_ENDED']);
    const entries = await auditOf(`?target=${sale.id}`);
    assert.deepEqual(
      entries.map((e) => [e.action, e.targetType, e.reason]),
      [['sale_cancelled', 'sale', 'prohibited item']],
    );
  });
});

describe('the audit log', () => {
  test('when read a page at a time, then newest first, every entry once, filtered by actor and target', async () => {
    const [a, b] = await Promise.all([signUp(api.url, 'a'), signUp(api.url, 'b')]);
    for (const who of [a, b, a]) {
      const path = `/users/${who.id}/${(await admin(`/users/${who.id}`)).body.blocked ? 'unblock' : 'block'}`;
      assert.equal((await admin(path, { method: 'POST', body: { reason: 'paging' } })).status, 200);
    }
    const all: AuditEntryJson[] = [];
    let cursor: string | null = '';
    do {
      const answer: { status: number; body: AuditPageJson } = await call<AuditPageJson>(
        `${api.url}/v1/admin/audit?limit=2&actor=${boss.id}&cursor=${encodeURIComponent(cursor)}`,
        { token: boss.token },
      );
      assert.equal(answer.status, 200);
      assert.ok(answer.body.items.length <= 2);
      all.push(...answer.body.items);
      cursor = answer.body.nextCursor;
    } while (cursor);
    const ids = all.map((e) => e.id);
    assert.deepEqual(
      ids,
      [...ids].sort((x, y) => y - x),
      'newest first',
    );
    assert.equal(new Set(ids).size, ids.length, 'no repeats');
    assert.ok(all.every((e) => e.actorId === boss.id));
    assert.deepEqual(
      (await auditOf(`?limit=100&actor=${boss.id}`)).map((e) => e.id),
      ids,
      'no gaps',
    );
    assert.deepEqual(
      (await auditOf(`?target=${a.id}`)).map((e) => e.action),
      ['user_unblocked', 'user_blocked'],
    );
    assert.deepEqual(await auditOf(`?target=${a.id}&actor=${seller.id}`), []);
  });
});
