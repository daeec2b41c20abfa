/**
 * The inbox API over real HTTP and Postgres: pages, the unread filter and count, marking read (only
 * your own: another user's id is a 404 and nothing changes), forged cursors, stream tickets that work
 * once, and the live stream's resume from Last-Event-ID.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq, isNull, and } from 'drizzle-orm';
import { NotificationPipeline } from '../activities/notifications/pipeline.js';
import { createRedis, type RedisClient } from '../config/redis.js';
import { notifications } from '../db/schema.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { testConfig } from './helpers/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp } from './helpers/http.js';
import { inbox, type InboxJson } from './helpers/notifications.js';
import { watchEvents } from './helpers/sse.js';
import { sql } from 'drizzle-orm';

type User = { id: string; token: string; email: string };

let database: TestDatabase;
let api: TestApi;
let redis: RedisClient;
let pipeline: NotificationPipeline;
let ann: User;
let ben: User;
let counter = 0;
before(async () => {
  database = await createTestDatabase();
  api = await startTestApi({ DATABASE_URL: database.url });
  redis = createRedis(testConfig(), 'worker');
  pipeline = new NotificationPipeline(database.db, redis);
  ann = await signUp(api.url, 'ann');
  ben = await signUp(api.url, 'ben');
});
after(async () => {
  await api.close();
  redis.disconnect();
  await database.drop();
});

/** Stores notifications through the real pipeline (not an auction's: none of these needs one). */
async function notify(user: User, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const key = `auction_lost:test:${user.id}:${++counter}`;
    const stored = await pipeline.deliver(
      sql`SELECT ${user.id}::uuid AS user_id, 'auction_lost'::text AS type, NULL::uuid AS auction_id, ${key}::text AS dedupe_key, ${JSON.stringify({ title: `Lot ${counter}` })}::jsonb AS data`,
    );
    ids.push(stored[0]!.notification.id);
  }
  return ids;
}

test('when the same occurrence is delivered twice, then it is stored once', async () => {
  const key = `auction_lost:test:${ann.id}:once`;
  const once = sql`SELECT ${ann.id}::uuid AS user_id, 'auction_lost'::text AS type, NULL::uuid AS auction_id, ${key}::text AS dedupe_key, '{"title":"x"}'::jsonb AS data`;
  const results = await Promise.all([pipeline.deliver(once), pipeline.deliver(once), pipeline.deliver(once)]);
  assert.equal(results.flat().length, 1);
  const rows = await database.db.select().from(notifications).where(eq(notifications.dedupeKey, key));
  assert.equal(rows.length, 1);
});

test('when the inbox is read a page at a time, then every notification comes once, newest first', async () => {
  const ids = await notify(ben, 7);
  const seen: number[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: InboxJson } = await call<InboxJson>(
      `${api.url}/v1/users/me/notifications?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      { token: ben.token },
    );
    assert.equal(page.status, 200);
    seen.push(...page.body.items.map((n) => n.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  assert.deepEqual(seen, [...ids].reverse());
});

test('when notifications are marked read up to an id or by ids, then the unread count and filter follow', async () => {
  const ids = await notify(ann, 4);
  const before = (await inbox(api.url, ann.token)).unreadCount;
  const upTo = await call<{ unreadCount: number }>(`${api.url}/v1/users/me/notifications/read`, {
    token: ann.token,
    body: { upTo: ids[1] },
  });
  assert.equal(upTo.status, 200);
  const unread = await inbox(api.url, ann.token, '&unread=true');
  assert.deepEqual(
    unread.items.map((n) => n.id),
    [ids[3], ids[2]],
  );
  assert.equal(upTo.body.unreadCount, 2);
  assert.ok(before >= 4);
  const byIds = await call<{ unreadCount: number }>(`${api.url}/v1/users/me/notifications/read`, {
    token: ann.token,
    body: { ids: [ids[3]] },
  });
  assert.equal(byIds.body.unreadCount, 1);
  const read = (await inbox(api.url, ann.token)).items.find((n) => n.id === ids[3]);
  assert.ok(read?.readAt);
});

test("when another user's notification id is marked read, then it is a 404 and nothing changes", async () => {
  const [mine] = await notify(ann, 1);
  const [theirs] = await notify(ben, 1);
  const answer = await call<{ error: { code: string; ids: number[] } }>(`${api.url}/v1/users/me/notifications/read`, {
    token: ann.token,
    body: { ids: [mine, theirs] },
  });
  assert.equal(answer.status, 404);
  assert.deepEqual(answer.body.error.ids, [theirs]);
  const unreadRows = await database.db
    .select()
    .from(notifications)
    .where(and(isNull(notifications.readAt), eq(notifications.id, mine!)));
  assert.equal(unreadRows.length, 1, 'not even my own was marked');
  const benUnread = await database.db
    .select()
    .from(notifications)
    .where(and(isNull(notifications.readAt), eq(notifications.id, theirs!)));
  assert.equal(benUnread.length, 1);
});

test('when the inbox gets bad input, then it answers 4xx in the error shape', async () => {
  const cases: [string, { method?: string; body?: unknown; raw?: string }, number, string][] = [
    ['/v1/users/me/notifications?cursor=forged', {}, 400, 'INVALID_CURSOR'],
    [`/v1/users/me/notifications?cursor=${Buffer.from('{"n":-1}').toString('base64url')}`, {}, 400, 'INVALID_CURSOR'],
    ['/v1/users/me/notifications?limit=0', {}, 400, 'VALIDATION'],
    ['/v1/users/me/notifications?unread=yes', {}, 400, 'VALIDATION'],
    ['/v1/users/me/notifications/read', { body: {} }, 400, 'VALIDATION'],
    ['/v1/users/me/notifications/read', { body: { upTo: 1.5 } }, 400, 'VALIDATION'],
    ['/v1/users/me/notifications/read', { body: { ids: [] } }, 400, 'VALIDATION'],
    ['/v1/users/me/notifications/read', { body: { upTo: 1, ids: [1] } }, 400, 'VALIDATION'],
    ['/v1/users/me/notifications/read', { raw: '{"upTo":' }, 400, 'MALFORMED_JSON'],
  ];
  for (const [path, init, status, code] of cases) {
    const answer = await call<{ error: { code: string } }>(`${api.url}${path}`, { token: ann.token, ...init });
    assert.equal(answer.status, status, `${path} ${JSON.stringify(init)}`);
    assert.equal(answer.body.error.code, code, path);
  }
  assert.equal((await call(`${api.url}/v1/users/me/notifications`)).status, 401);
});

test('when a stream ticket is used twice, then the second use is refused', async () => {
  const ticket = await call<{ ticket: string }>(`${api.url}/v1/users/me/events/ticket`, {
    method: 'POST',
    token: ann.token,
  });
  const first = watchEvents(`${api.url}/v1/users/me/events?ticket=${ticket.body.ticket}`);
  await first.waitFor('unread');
  await first.close();
  const again = await fetch(`${api.url}/v1/users/me/events?ticket=${ticket.body.ticket}`);
  assert.equal(again.status, 401);
  assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'INVALID_TICKET');
  assert.equal((await fetch(`${api.url}/v1/users/me/events?ticket=nope`)).status, 401);
  assert.equal((await fetch(`${api.url}/v1/users/me/events`)).status, 401);
});

test('when a live stream resumes from Last-Event-ID, then it gets exactly the notifications missed since', async () => {
  const [first] = await notify(ben, 1);
  const missed = await notify(ben, 3);
  const stream = watchEvents(`${api.url}/v1/users/me/events`, {
    authorization: `Bearer ${ben.token}`,
    'last-event-id': String(first),
  });
  const deadline = Date.now() + 10_000;
  while (stream.events.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const [live] = await notify(ben, 1);
  while (stream.events.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await stream.close();
  assert.deepEqual(
    stream.events.map((e) => Number(e.id)),
    [...missed, live],
  );
  assert.ok(stream.events.every((e) => e.event === 'notification'));
});
