/**
 * Abuse limits over real HTTP, Redis and Postgres: per-user and per-IP bid and claim budgets, sign-in budgets per
 * address and per account, sign-ups per address, what happens to them while Redis is down, and the caps
 * on open event streams. Budgets here are tiny (production's are in config/env.ts); each test's clients
 * have addresses of their own (helpers/clients.ts), so no test spends another's budget.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clientAddressKey } from '../api/security/client-address.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { newAddress, requestFrom, sameBlockAs, signUpAt, type Account, type Reply } from './helpers/clients.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { createSale, saleOf } from './helpers/flash-sales.js';
import type { AuctionJson } from './helpers/http.js';
import { watchEvents } from './helpers/sse.js';

const LIMITS = {
  TRUST_PROXY: 'loopback',
  RATE_LIMIT_BIDS_PER_USER: '3/1m',
  RATE_LIMIT_BIDS_PER_IP: '6/1m',
  RATE_LIMIT_CLAIMS_PER_USER: '3/1m',
  RATE_LIMIT_CLAIMS_PER_IP: '6/1m',
  RATE_LIMIT_SIGN_INS_PER_IP: '5/1m',
  RATE_LIMIT_SIGN_INS_PER_ACCOUNT: '3/15m',
  RATE_LIMIT_SIGN_UPS_PER_IP: '2/1h',
  RATE_LIMIT_SSO_PER_IP: '3/1m',
  RATE_LIMIT_REFRESH_PER_IP: '3/1m',
  RATE_LIMIT_SEARCHES_PER_IP: '3/1m',
  SSE_MAX_STREAMS_PER_IP: '2',
  SSE_MAX_STREAMS_PER_USER: '1',
};

let database: TestDatabase;
let api: TestApi;
let seller: Account;
before(async () => {
  database = await createTestDatabase();
  // No worker: bids are decided in Redis, and these tests need no workflow to run.
  api = await startTestApi({ ...LIMITS, DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: 'security-limits' });
  seller = await signUpAt(api.url);
});
after(async () => {
  await api.close();
  await database.drop();
});

function assertRateLimited(reply: Reply<unknown>, code = 'RATE_LIMITED', windowSeconds = 3600) {
  assert.equal(reply.status, 429, JSON.stringify(reply.body));
  const { error } = reply.body as { error: { code: string; message: string; retryAfterSeconds: number } };
  assert.equal(error.code, code);
  assert.equal(typeof error.message, 'string');
  const retryAfter = Number(reply.retryAfter);
  assert.ok(
    Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowSeconds,
    `Retry-After ${reply.retryAfter}`,
  );
  assert.equal(error.retryAfterSeconds, retryAfter);
}

async function openAuction(): Promise<AuctionJson> {
  const created = await requestFrom<AuctionJson>(newAddress(), `${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Lot', startingPrice: 1000, endsAt: new Date(Date.now() + 600_000).toISOString() },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

const bidFrom = (address: string, auctionId: string, bidder: Account, amount: number) =>
  requestFrom(address, `${api.url}/v1/auctions/${auctionId}/bids`, { token: bidder.token, body: { amount } });

const signInFrom = (address: string, email: string, password: string) =>
  requestFrom(address, `${api.url}/v1/auth/token`, { body: { email, password } });

const auctionNow = async (id: string) =>
  (await requestFrom<AuctionJson>(newAddress(), `${api.url}/v1/auctions/${id}`)).body;

describe('bids', () => {
  test('when a user bids past their budget, then 429 RATE_LIMITED with Retry-After, nothing changes, and others still bid', async () => {
    const auction = await openAuction();
    const [ann, ben] = [await signUpAt(api.url), await signUpAt(api.url)];
    const address = newAddress();
    for (const amount of [1000, 1100, 1200])
      assert.equal((await bidFrom(address, auction.id, ann, amount)).status, 201);
    const before = await auctionNow(auction.id);

    // From another address too: the budget is the user's, wherever they bid from.
    assertRateLimited(await bidFrom(newAddress(), auction.id, ann, 5000), 'RATE_LIMITED', 60);
    assert.deepEqual(await auctionNow(auction.id), before, 'the refused bid was never placed');
    assert.equal((await bidFrom(address, auction.id, ben, 5000)).status, 201, 'another user at that address');
  });

  test('when one address spends its budget across users, then a new user there is refused too, and other addresses are not', async () => {
    const auction = await openAuction();
    const users = [await signUpAt(api.url), await signUpAt(api.url), await signUpAt(api.url)];
    const office = newAddress();
    let amount = 1000;
    for (const user of users.slice(0, 2)) {
      for (let i = 0; i < 3; i++) assert.equal((await bidFrom(office, auction.id, user, (amount += 500))).status, 201);
    }
    assertRateLimited(await bidFrom(office, auction.id, users[2]!, (amount += 500)), 'RATE_LIMITED', 60);
    // Another host in the same IPv6 /64 is the same client.
    assertRateLimited(await bidFrom(sameBlockAs(office, 2), auction.id, users[2]!, amount), 'RATE_LIMITED', 60);
    assert.equal((await bidFrom(newAddress(), auction.id, users[2]!, amount)).status, 201);
  });
});

describe('claims on a flash sale', () => {
  const claimFrom = (address: string, saleId: string, buyer: Account) =>
    requestFrom(address, `${api.url}/v1/sales/${saleId}/claims`, { token: buyer.token, body: { quantity: 1 } });
  const openSale = () => createSale(api.url, seller.token, { stock: 100, perUserLimit: 10 });

  test('when a user claims past their budget, then 429 RATE_LIMITED with Retry-After, nothing is held, and others still claim', async () => {
    const sale = await openSale();
    const [ann, ben] = [await signUpAt(api.url), await signUpAt(api.url)];
    const address = newAddress();
    for (let i = 0; i < 3; i++) assert.equal((await claimFrom(address, sale.id, ann)).status, 201);

    // From another address too: the budget is the user's, wherever they claim from.
    assertRateLimited(await claimFrom(newAddress(), sale.id, ann), 'RATE_LIMITED', 60);
    assert.equal((await saleOf(api.url, sale.id)).held, 3, 'the refused claim held nothing');
    assert.equal((await claimFrom(address, sale.id, ben)).status, 201, 'another user at that address');
  });

  test('when one address spends its budget across users, then a new user there is refused too, and other addresses are not', async () => {
    const sale = await openSale();
    const users = [await signUpAt(api.url), await signUpAt(api.url), await signUpAt(api.url)];
    const office = newAddress();
    for (const user of users.slice(0, 2)) {
      for (let i = 0; i < 3; i++) assert.equal((await claimFrom(office, sale.id, user)).status, 201);
    }
    assertRateLimited(await claimFrom(office, sale.id, users[2]!), 'RATE_LIMITED', 60);
    assertRateLimited(await claimFrom(sameBlockAs(office, 2), sale.id, users[2]!), 'RATE_LIMITED', 60);
    assert.equal((await saleOf(api.url, sale.id)).held, 6);
    assert.equal((await claimFrom(newAddress(), sale.id, users[2]!)).status, 201);
  });
});

describe('sign-in', () => {
  test('when one address tries too many sign-ins, then 429 whatever the accounts', async () => {
    const address = newAddress();
    for (let i = 0; i < 5; i++) {
      assert.equal((await signInFrom(address, `nobody-${i}@example.test`, 'wrong password')).status, 401);
    }
    assertRateLimited(await signInFrom(address, 'someone-else@example.test', 'wrong password'), 'RATE_LIMITED', 60);
    assert.equal((await signInFrom(newAddress(), 'someone-else@example.test', 'wrong password')).status, 401);
  });

  test('when one account gets too many wrong passwords, from any address and in any case, then even the right one waits', async () => {
    const victim = await signUpAt(api.url);
    for (const spelling of [victim.email, victim.email.toUpperCase(), ` ${victim.email} `]) {
      assert.equal((await signInFrom(newAddress(), spelling, 'guess')).status, 401);
    }
    assertRateLimited(await signInFrom(newAddress(), victim.email, victim.password), 'RATE_LIMITED', 900);
  });

  test('when the right password comes, then the account’s count of failures starts again', async () => {
    const user = await signUpAt(api.url);
    for (let i = 0; i < 2; i++) assert.equal((await signInFrom(newAddress(), user.email, 'typo')).status, 401);
    assert.equal((await signInFrom(newAddress(), user.email, user.password)).status, 200);
    // Without the reset, the second of these would already be refused.
    for (let i = 0; i < 3; i++) assert.equal((await signInFrom(newAddress(), user.email, 'typo')).status, 401);
    assertRateLimited(await signInFrom(newAddress(), user.email, 'typo'), 'RATE_LIMITED', 900);
  });
});

describe('sign-up', () => {
  test('when one /64 signs up too often, then 429, and another address still signs up', async () => {
    const home = newAddress();
    const register = (address: string) =>
      requestFrom(address, `${api.url}/v1/users`, {
        body: { email: `new-${Math.random()}@example.test`, password: 'long enough', displayName: 'New' },
      });
    assert.equal((await register(home)).status, 201);
    assert.equal((await register(sameBlockAs(home, 2))).status, 201);
    assertRateLimited(await register(sameBlockAs(home, 3)));
    assert.equal((await register(newAddress())).status, 201);
  });
});

describe('searches', () => {
  test('when one address searches too often, then 429, while its listings without a search and other addresses go on', async () => {
    const address = newAddress();
    const search = (from: string, q: string) => requestFrom(from, `${api.url}/v1/auctions?q=${encodeURIComponent(q)}`);
    for (const q of ['lamp', 'oak desk', 'camera']) assert.equal((await search(address, q)).status, 200, q);
    assertRateLimited(await search(address, 'lamp'), 'RATE_LIMITED', 60);
    // A malformed search is counted too: the limit is on asking, not on asking well.
    assertRateLimited(await requestFrom(address, `${api.url}/v1/auctions?q=a&q=b`), 'RATE_LIMITED', 60);
    assert.equal((await requestFrom(address, `${api.url}/v1/auctions?status=open&sort=newest`)).status, 200);
    assert.equal((await search(newAddress(), 'lamp')).status, 200);
  });
});

describe('SSO and refresh', () => {
  test('when one address starts and finishes too many SSO sign-ins (or redeems command-line codes), then 429 before any provider lookup, and other addresses go on', async () => {
    const address = newAddress();
    // No provider is configured here: each answer is the 404 behind the guard, until the budget is spent.
    const paths = ['/v1/auth/sso/acme/start', '/v1/auth/sso/acme/callback?code=c&state=s'];
    for (const path of paths) assert.equal((await requestFrom(address, `${api.url}${path}`)).status, 404, path);
    const code = { body: { code: 'A'.repeat(43), codeVerifier: 'B'.repeat(43) } };
    assert.equal((await requestFrom(address, `${api.url}/v1/auth/sso/token`, code)).status, 401);
    assertRateLimited(await requestFrom(address, `${api.url}/v1/auth/sso/acme/start`), 'RATE_LIMITED', 60);
    assertRateLimited(
      await requestFrom(address, `${api.url}/v1/auth/sso/acme/callback?code=c&state=s`),
      'RATE_LIMITED',
      60,
    );
    assertRateLimited(await requestFrom(address, `${api.url}/v1/auth/sso/token`, code), 'RATE_LIMITED', 60);
    assert.equal((await requestFrom(newAddress(), `${api.url}/v1/auth/sso/acme/start`)).status, 404);
  });

  test('when one address refreshes and logs out too often, then 429, and other addresses go on', async () => {
    const address = newAddress();
    const body = { refreshToken: 'A'.repeat(43) };
    assert.equal((await requestFrom(address, `${api.url}/v1/auth/refresh`, { body })).status, 401);
    const logout = await fetch(`${api.url}/v1/auth/logout`, {
      method: 'POST',
      headers: { 'x-forwarded-for': address, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(logout.status, 204); // no body to read
    assert.equal((await requestFrom(address, `${api.url}/v1/auth/refresh`, { body })).status, 401);
    assertRateLimited(await requestFrom(address, `${api.url}/v1/auth/logout`, { body }), 'RATE_LIMITED', 60);
    assert.equal((await requestFrom(newAddress(), `${api.url}/v1/auth/refresh`, { body })).status, 401);
  });
});

describe('while Redis is down', () => {
  let offline: TestApi;
  before(async () => {
    // Nothing listens on port 1. Sign-in needs only Postgres, so it keeps working, and still limited.
    offline = await startTestApi({ ...LIMITS, DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:1' });
  });
  after(() => offline.close());

  test('then sign-ins are counted in the process’s memory: still answered, still limited', async () => {
    const user = await signUpAt(api.url);
    const signIn = (password: string) =>
      requestFrom(newAddress(), `${offline.url}/v1/auth/token`, { body: { email: user.email, password } });
    assert.equal((await signIn(user.password)).status, 200);
    for (let i = 0; i < 3; i++) assert.equal((await signIn('guess')).status, 401);
    assertRateLimited(await signIn(user.password), 'RATE_LIMITED', 900);
  });
});

describe('event streams', () => {
  const eventsUrl = (auctionId: string) => `${api.url}/v1/auctions/${auctionId}/events`;
  const headersOf = (address: string, token?: string) => ({
    'x-forwarded-for': address,
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  });
  /** A stream that is open and has had its snapshot. */
  const watch = async (auctionId: string, address: string, token?: string) => {
    const watcher = watchEvents(eventsUrl(auctionId), headersOf(address, token));
    await watcher.waitFor('snapshot');
    return watcher;
  };
  /** Asks for a stream: the refusal, or null when it opened (and it is closed again at once). */
  const tryStream = async (auctionId: string, address: string, token?: string): Promise<Reply<unknown> | null> => {
    const controller = new AbortController();
    const response = await fetch(eventsUrl(auctionId), {
      headers: headersOf(address, token),
      signal: controller.signal,
    });
    if (response.status === 200) {
      controller.abort();
      return null;
    }
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
  };
  const refused = async (auctionId: string, address: string, token?: string) => {
    const reply = await tryStream(auctionId, address, token);
    assert.ok(reply, 'the stream opened');
    return reply;
  };

  test('when an address has its streams open, then one more is 429 TOO_MANY_STREAMS; a closed stream frees its slot', async () => {
    const auction = await openAuction();
    const address = newAddress();
    const open = [await watch(auction.id, address), await watch(auction.id, address)];
    assertRateLimited(await refused(auction.id, address), 'TOO_MANY_STREAMS', 60);
    const elsewhere = await watch(auction.id, newAddress());

    await open[0]!.close();
    // The server learns of the close when the socket ends: wait for that, within a bound.
    const deadline = Date.now() + 5_000;
    while ((await tryStream(auction.id, address)) !== null) {
      assert.ok(Date.now() < deadline, 'the closed stream’s slot was never released');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await Promise.all([open[1]!.close(), elsewhere.close()]);
  });

  test('when a signed-in user has their stream open, then a second is refused from any address, not anonymous ones', async () => {
    const auction = await openAuction();
    const [watcher, other] = [await signUpAt(api.url), await signUpAt(api.url)];
    const first = await watch(auction.id, newAddress(), watcher.token);
    assertRateLimited(await refused(auction.id, newAddress(), watcher.token), 'TOO_MANY_STREAMS', 60);
    const anonymous = await watch(auction.id, newAddress());
    const someoneElse = await watch(auction.id, newAddress(), other.token);
    await Promise.all([first.close(), anonymous.close(), someoneElse.close()]);
  });

  test('when a stream is asked for with a token that does not verify, then 401 INVALID_TOKEN, not an anonymous stream', async () => {
    const auction = await openAuction();
    const reply = await refused(auction.id, newAddress(), 'not.a.token');
    assert.equal(reply.status, 401);
    assert.equal((reply.body as { error: { code: string } }).error.code, 'INVALID_TOKEN');
  });
});

describe('TRUST_PROXY off (the default)', () => {
  let direct: TestApi;
  before(async () => {
    direct = await startTestApi({ DATABASE_URL: database.url, SSE_MAX_STREAMS_PER_IP: '1' });
  });
  after(() => direct.close());

  test('then X-Forwarded-For is ignored: a client cannot buy itself new addresses with a header', async () => {
    const auction = await openAuction();
    const first = watchEvents(`${direct.url}/v1/auctions/${auction.id}/events`, { 'x-forwarded-for': newAddress() });
    await first.waitFor('snapshot');
    const second = await requestFrom(newAddress(), `${direct.url}/v1/auctions/${auction.id}/events`);
    // 200 would leave requestFrom reading an endless stream (and the test would time out).
    assertRateLimited(second, 'TOO_MANY_STREAMS', 60);
    await first.close();
  });
});

describe('client addresses as limits count them', () => {
  for (const [address, key] of [
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['not-an-address', 'unknown'],
    ['1.2.3.4}:{x', 'unknown'],
    [undefined, 'unknown'],
  ] as const) {
    test(`${String(address)} counts as ${key}`, () => assert.equal(clientAddressKey(address), key));
  }
});
