/**
 * The webhook routes over real HTTP, on the real API and Postgres: registration (the secret shown once),
 * every refusal a 4xx in the error shape with nothing stored, the per-user cap (also under concurrent
 * registrations), listing, deletion and ownership, and the deliveries page with its attempts. One API
 * allows private networks (as tests and development run), one does not (as production runs).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { AppError } from '../api/errors.js';
import { createWebhook } from '../api/notifications/webhooks.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertAuction } from './helpers/fixtures.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { call, signUp } from './helpers/http.js';

interface WebhookJson {
  id: string;
  url: string;
  types: string[];
  createdAt: string;
  secret?: string;
}
interface ErrorBody {
  error: {
    code: string;
    message: string;
    issues?: { path: string; message: string }[];
    maxWebhooks?: number;
    reason?: string;
  };
}
interface DeliveryJson {
  id: string;
  notificationId: number;
  type: string;
  status: string;
  createdAt: string;
  deliveredAt: string | null;
  failedAt: string | null;
  nextAttemptAt: string | null;
  attempts: { attempt: number; status: number | null; response: string; attemptedAt: string; durationMs: number }[];
}
type User = { id: string; token: string };

const MAX = 4;
let database: TestDatabase;
let open: TestApi;
let strict: TestApi;

before(async () => {
  database = await createTestDatabase();
  const common = {
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: `webhooks-${randomUUID()}`,
    WEBHOOKS_PER_USER: String(MAX),
  };
  [open, strict] = await Promise.all([
    startTestApi({ ...common, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }),
    startTestApi({ ...common, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' }),
  ]);
});
after(async () => {
  await Promise.all([open.close(), strict.close()]);
  await database.drop();
});

const hooks = (api: TestApi) => `${api.url}/v1/users/me/webhooks`;

async function register(user: User, body: unknown, api = open) {
  return call<WebhookJson & ErrorBody>(hooks(api), { token: user.token, body });
}

async function storedCount(userId: string): Promise<number> {
  const { rows } = await database.db.execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM webhooks WHERE user_id = ${userId}`,
  );
  return rows[0]!.n;
}

describe('registering', () => {
  test('when a webhook is registered, then the answer has its secret once, and listings never show it', async () => {
    const user = await signUp(open.url, 'hooker');
    const response = await fetch(hooks(open), {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://127.0.0.1:9/hook', types: ['outbid', 'auction_won'] }),
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const created = (await response.json()) as WebhookJson;
    assert.deepEqual(Object.keys(created).sort(), ['createdAt', 'id', 'secret', 'types', 'url']);
    assert.equal(created.url, 'http://127.0.0.1:9/hook');
    assert.deepEqual(created.types, ['outbid', 'auction_won']);
    assert.match(created.secret!, /^whsec_[A-Za-z0-9+/]{43}=$/);

    const listed = await call<{ items: WebhookJson[] }>(hooks(open), { token: user.token });
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.items, [
      { id: created.id, url: created.url, types: created.types, createdAt: created.createdAt },
    ]);
    assert.ok(!JSON.stringify(listed.body).includes(created.secret!));
  });

  test('when a body is not valid, then each is a 400 in the error shape and nothing is stored', async () => {
    const user = await signUp(open.url, 'careless');
    const good = { url: 'https://hooks.example.com/gavel', types: ['outbid'] };
    const bad: [string, unknown][] = [
      ['no url', { types: ['outbid'] }],
      ['no types', { url: good.url }],
      ['url not a URL', { ...good, url: 'not a url' }],
      ['url relative', { ...good, url: '/hook' }],
      ['url ftp', { ...good, url: 'ftp://hooks.example.com/' }],
      ['url with credentials', { ...good, url: 'https://me:secret@hooks.example.com/' }],
      ['url with a fragment', { ...good, url: 'https://hooks.example.com/#x' }],
      ['url too long', { ...good, url: `https://hooks.example.com/${'a'.repeat(2050)}` }],
      ['url not a string', { ...good, url: 42 }],
      ['types empty', { ...good, types: [] }],
      ['type unknown', { ...good, types: ['outbid', 'bogus'] }],
      ['type repeated', { ...good, types: ['outbid', 'outbid'] }],
      ['types not a list', { ...good, types: 'outbid' }],
      ['unknown field', { ...good, secret: 'whsec_mine' }],
    ];
    for (const [what, body] of bad) {
      const answer = await register(user, body);
      assert.equal(answer.status, 400, what);
      assert.equal(answer.body.error.code, 'VALIDATION', what);
      assert.ok(answer.body.error.issues!.length > 0, what);
    }
    const malformed = await call<ErrorBody>(hooks(open), { token: user.token, raw: '{"url":' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'MALFORMED_JSON');
    assert.equal(await storedCount(user.id), 0);
  });

  test('when private networks are not allowed, then http and private, loopback or metadata addresses are refused', async () => {
    const user = await signUp(strict.url, 'prober');
    const validation = [
      'http://hooks.example.com/',
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.5/',
      'https://0x7f000001/',
    ];
    for (const url of validation) {
      const answer = await register(user, { url, types: ['outbid'] }, strict);
      assert.equal(answer.status, 400, url);
      assert.equal(answer.body.error.code, 'VALIDATION', url);
    }
    // A name is looked up: localhost resolves to 127.0.0.1.
    const named = await register(user, { url: 'https://localhost:8443/hook', types: ['outbid'] }, strict);
    assert.equal(named.status, 400);
    assert.equal(named.body.error.code, 'WEBHOOK_URL_NOT_ALLOWED');
    assert.equal(named.body.error.reason, 'address_not_allowed');
    assert.match(named.body.error.message, /localhost resolves to 127\.0\.0\.1 \(loopback\)/);
    assert.equal(await storedCount(user.id), 0);
  });

  test('when a host resolves to nothing, or to a public and a private address, then registration refuses it', async () => {
    const user = await signUp(open.url, 'resolver');
    const deps = (addresses: string[] | Error) => ({
      db: database.db,
      allowPrivateNetworks: false,
      maxPerUser: MAX,
      resolve: () =>
        addresses instanceof Error
          ? Promise.reject(addresses)
          : Promise.resolve(addresses.map((address) => ({ address }))),
    });
    const body = { url: 'https://hooks.example.com/gavel', types: ['outbid' as const] };
    const refusals: [string[] | Error, string][] = [
      [Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), 'unresolvable'],
      [[], 'unresolvable'],
      [['93.184.216.34', '10.0.0.1'], 'address_not_allowed'],
      [['2606:4700::1', 'fd00::1'], 'address_not_allowed'],
    ];
    for (const [addresses, reason] of refusals) {
      await assert.rejects(
        createWebhook(deps(addresses), user.id, body),
        (error: unknown) =>
          error instanceof AppError &&
          error.status === 400 &&
          error.code === 'WEBHOOK_URL_NOT_ALLOWED' &&
          error.details.reason === reason,
      );
    }
    assert.equal(await storedCount(user.id), 0);
    const created = await createWebhook(deps(['93.184.216.34', '2606:4700::1']), user.id, body);
    assert.equal(created.url, body.url);
  });

  test('when a request has no or a bad token, then it is 401 and nothing is stored', async () => {
    const noToken = await call<ErrorBody>(hooks(open), { body: { url: 'http://127.0.0.1:9/', types: ['outbid'] } });
    assert.equal(noToken.status, 401);
    assert.equal(noToken.body.error.code, 'UNAUTHENTICATED');
    const badToken = await call<ErrorBody>(hooks(open), {
      token: 'nope',
      body: { url: 'http://127.0.0.1:9/', types: ['outbid'] },
    });
    assert.equal(badToken.status, 401);
    assert.equal(badToken.body.error.code, 'INVALID_TOKEN');
    const { rows } = await database.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM webhooks WHERE url = 'http://127.0.0.1:9/'`,
    );
    assert.equal(rows[0]!.n, 0);
  });
});

describe('the cap', () => {
  test(`when a user has ${MAX} webhooks, then another is a 409 TOO_MANY_WEBHOOKS, until one is deleted`, async () => {
    const user = await signUp(open.url, 'collector');
    const created: WebhookJson[] = [];
    for (let i = 0; i < MAX; i++) {
      const answer = await register(user, { url: `http://127.0.0.1:9/${i}`, types: ['outbid'] });
      assert.equal(answer.status, 201);
      created.push(answer.body);
    }
    const over = await register(user, { url: 'http://127.0.0.1:9/over', types: ['outbid'] });
    assert.equal(over.status, 409);
    assert.equal(over.body.error.code, 'TOO_MANY_WEBHOOKS');
    assert.equal(over.body.error.maxWebhooks, MAX);
    assert.equal(await storedCount(user.id), MAX);

    assert.equal((await call(`${hooks(open)}/${created[0]!.id}`, { method: 'DELETE', token: user.token })).status, 204);
    assert.equal((await register(user, { url: 'http://127.0.0.1:9/again', types: ['outbid'] })).status, 201);
  });

  test('when many registrations arrive at once, then exactly the cap is stored', async () => {
    const user = await signUp(open.url, 'racer');
    const answers = await Promise.all(
      Array.from({ length: MAX * 3 }, (_, i) => register(user, { url: `http://127.0.0.1:9/${i}`, types: ['outbid'] })),
    );
    const statuses = answers.map((answer) => answer.status);
    assert.equal(statuses.filter((s) => s === 201).length, MAX);
    assert.equal(statuses.filter((s) => s === 409).length, MAX * 2);
    assert.equal(await storedCount(user.id), MAX);
  });
});

describe('deleting and ownership', () => {
  test("when a user deletes another user's webhook, or one that does not exist, then it is 404 and nothing changes", async () => {
    const owner = await signUp(open.url, 'owner');
    const other = await signUp(open.url, 'other');
    const hook = (await register(owner, { url: 'http://127.0.0.1:9/mine', types: ['outbid'] })).body;

    for (const [who, id] of [
      [other, hook.id],
      [owner, randomUUID()],
      [owner, 'not-a-uuid'],
    ] as const) {
      const answer = await call<ErrorBody>(`${hooks(open)}/${id}`, { method: 'DELETE', token: who.token });
      assert.equal(answer.status, 404);
      assert.equal(answer.body.error.code, 'NOT_FOUND');
    }
    const otherList = await call<{ items: WebhookJson[] }>(hooks(open), { token: other.token });
    assert.deepEqual(otherList.body.items, []);
    const stillThere = await call<{ items: WebhookJson[] }>(hooks(open), { token: owner.token });
    assert.deepEqual(
      stillThere.body.items.map((item) => item.id),
      [hook.id],
    );
    const theirs = await call<ErrorBody>(`${hooks(open)}/${hook.id}/deliveries`, { token: other.token });
    assert.equal(theirs.status, 404);
  });

  test('when a user deletes their webhook, then it is gone from the list, kept as a row, and its pending deliveries are dropped', async () => {
    const owner = await signUp(open.url, 'deleter');
    const hook = (await register(owner, { url: 'http://127.0.0.1:9/bye', types: ['outbid'] })).body;
    const [delivery] = await seedDeliveries(owner.id, hook.id, 1);

    assert.equal((await call(`${hooks(open)}/${hook.id}`, { method: 'DELETE', token: owner.token })).status, 204);
    assert.deepEqual((await call<{ items: WebhookJson[] }>(hooks(open), { token: owner.token })).body.items, []);
    assert.equal((await call(`${hooks(open)}/${hook.id}`, { method: 'DELETE', token: owner.token })).status, 404);
    assert.equal((await call(`${hooks(open)}/${hook.id}/deliveries`, { token: owner.token })).status, 404);
    const { rows } = await database.db.execute<{ deleted: boolean; failed: boolean }>(sql`
      SELECT w.deleted_at IS NOT NULL AS deleted, d.failed_at IS NOT NULL AS failed
        FROM webhooks w JOIN webhook_deliveries d ON d.webhook_id = w.id WHERE d.id = ${delivery}`);
    assert.deepEqual(rows[0], { deleted: true, failed: true });
  });
});

/** `n` notifications with a delivery to the webhook each, created in order, the odd ones with two attempts. */
async function seedDeliveries(userId: string, webhookId: string, n: number): Promise<string[]> {
  const auction = await insertAuction(database.db, userId, new Date(), new Date(Date.now() + 3600_000));
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { rows } = await database.db.execute<{ id: string }>(sql`
      WITH n AS (
        INSERT INTO notifications (user_id, type, auction_id, data, dedupe_key)
        VALUES (${userId}, 'outbid', ${auction.id}, '{"title":"A test lot"}'::jsonb, ${`seed:${randomUUID()}`})
        RETURNING id)
      INSERT INTO webhook_deliveries (webhook_id, notification_id) SELECT ${webhookId}, id FROM n RETURNING id`);
    const id = rows[0]!.id;
    ids.push(id);
    if (i % 2 === 1) {
      await database.db.execute(sql`
        INSERT INTO webhook_attempts (delivery_id, attempt, status, response, duration_ms)
        VALUES (${id}, 1, 500, 'oops', 12), (${id}, 2, 200, 'ok', 7)`);
      await database.db.execute(sql`UPDATE webhook_deliveries SET attempts = 2, delivered_at = now() WHERE id = ${id}`);
    }
  }
  return ids;
}

describe('deliveries', () => {
  test('when a webhook has deliveries, then they page newest first, each with its attempts', async () => {
    const owner = await signUp(open.url, 'watcher');
    const hook = (await register(owner, { url: 'http://127.0.0.1:9/log', types: ['outbid'] })).body;
    const seeded = await seedDeliveries(owner.id, hook.id, 25);

    const seen: DeliveryJson[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=10&cursor=${encodeURIComponent(cursor)}` : '?limit=10';
      const page = await call<{ items: DeliveryJson[]; nextCursor: string | null }>(
        `${hooks(open)}/${hook.id}/deliveries${query}`,
        { token: owner.token },
      );
      assert.equal(page.status, 200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(
      seen.map((d) => d.id),
      [...seeded].reverse(),
    );

    const withAttempts = seen.find((d) => d.id === seeded[1])!;
    assert.equal(withAttempts.status, 'delivered');
    assert.equal(withAttempts.type, 'outbid');
    assert.ok(withAttempts.deliveredAt);
    assert.equal(withAttempts.nextAttemptAt, null);
    assert.deepEqual(
      withAttempts.attempts.map(({ attempt, status, response, durationMs }) => ({
        attempt,
        status,
        response,
        durationMs,
      })),
      [
        { attempt: 1, status: 500, response: 'oops', durationMs: 12 },
        { attempt: 2, status: 200, response: 'ok', durationMs: 7 },
      ],
    );
    assert.ok(!Number.isNaN(Date.parse(withAttempts.attempts[0]!.attemptedAt)));
    const pending = seen.find((d) => d.id === seeded[0])!;
    assert.equal(pending.status, 'pending');
    assert.deepEqual(pending.attempts, []);
    assert.ok(pending.nextAttemptAt);
  });

  test('when the cursor is forged, then it is a 400 INVALID_CURSOR', async () => {
    const owner = await signUp(open.url, 'forger');
    const hook = (await register(owner, { url: 'http://127.0.0.1:9/f', types: ['outbid'] })).body;
    for (const cursor of ['garbage', Buffer.from('{"c":"99999999999999999999","i":"x"}').toString('base64url')]) {
      const answer = await call<ErrorBody>(`${hooks(open)}/${hook.id}/deliveries?cursor=${cursor}`, {
        token: owner.token,
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.code, 'INVALID_CURSOR');
    }
  });
});
