/**
 * Notification settings over real HTTP and real Postgres: the defaults until a user changes something,
 * partial updates, the inbox that cannot be turned off, bad input that answers 400 in the error shape
 * and changes nothing, one user's settings never another's; and the store module the rest of the
 * pipeline reuses.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { NotificationSettingsJson } from '../api/notifications/responses.js';
import { readSettings, stopEmailing, writeSettings } from '../db/notification-settings.js';
import { DEFAULT_SETTINGS } from '../domain/notifications/settings.js';
import { NOTIFICATION_TYPES } from '../domain/notifications/types.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type ErrorJson } from './helpers/http.js';

let database: TestDatabase;
let api: TestApi;
before(async () => {
  database = await createTestDatabase();
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: `settings-${randomUUID()}` });
});
after(async () => {
  await api.close();
  await database.drop();
});

const URL_PATH = '/v1/users/me/notification-settings';
const read = (token: string) => call<NotificationSettingsJson & ErrorJson>(`${api.url}${URL_PATH}`, { token });
const put = (token: string, body: unknown) =>
  call<NotificationSettingsJson & ErrorJson>(`${api.url}${URL_PATH}`, { method: 'PUT', token, body });
const putRaw = (token: string, raw: string) =>
  call<NotificationSettingsJson & ErrorJson>(`${api.url}${URL_PATH}`, { method: 'PUT', token, raw });

const DEFAULTS: NotificationSettingsJson = {
  channels: { inbox: [...NOTIFICATION_TYPES], ...DEFAULT_SETTINGS.channels },
  endingSoonMinutes: DEFAULT_SETTINGS.endingSoonMinutes,
};

describe('reading and writing', () => {
  test('when a user never changed anything, then the defaults come, the inbox carrying every type', async () => {
    const user = await signUp(api.url, 'fresh');
    const answer = await read(user.token);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, DEFAULTS);
  });

  test('when one channel is changed, then only it changes, and a later change keeps it', async () => {
    const user = await signUp(api.url, 'partial');
    const emailed = await put(user.token, { channels: { email: ['auction_won', 'outbid'] } });
    assert.equal(emailed.status, 200, JSON.stringify(emailed.body));
    const expected = { ...DEFAULTS, channels: { ...DEFAULTS.channels, email: ['outbid', 'auction_won'] } };
    assert.deepEqual(emailed.body, expected, 'stored in the one order the API shows types');
    assert.deepEqual((await read(user.token)).body, expected);
    const later = await put(user.token, { endingSoonMinutes: 60 });
    assert.deepEqual(later.body, { ...expected, endingSoonMinutes: 60 });
    assert.deepEqual((await read(user.token)).body, { ...expected, endingSoonMinutes: 60 });
  });

  test('when every channel is stated, the inbox in full, then all are stored, empty lists included', async () => {
    const user = await signUp(api.url, 'full');
    const body = {
      channels: { inbox: [...NOTIFICATION_TYPES].reverse(), live: ['outbid'], email: [], webhook: ['auction_lost'] },
      endingSoonMinutes: 1440,
    };
    const answer = await put(user.token, body);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const expected = {
      channels: { inbox: [...NOTIFICATION_TYPES], live: ['outbid'], email: [], webhook: ['auction_lost'] },
      endingSoonMinutes: 1440,
    };
    assert.deepEqual(answer.body, expected);
    assert.deepEqual((await read(user.token)).body, expected);
    // Repeating it answers the same.
    assert.deepEqual((await put(user.token, body)).body, expected);
  });

  test('when an empty body is put, then nothing changes', async () => {
    const user = await signUp(api.url, 'empty');
    await put(user.token, { endingSoonMinutes: 5 });
    const answer = await put(user.token, {});
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { ...DEFAULTS, endingSoonMinutes: 5 });
  });

  test('when one user changes their settings, then another user’s stay as they were', async () => {
    const alice = await signUp(api.url, 'alice');
    const bob = await signUp(api.url, 'bob');
    await put(bob.token, { channels: { live: ['auction_started'] }, endingSoonMinutes: 180 });
    await put(alice.token, { channels: { live: [] }, endingSoonMinutes: 1 });
    assert.deepEqual((await read(bob.token)).body, {
      ...DEFAULTS,
      channels: { ...DEFAULTS.channels, live: ['auction_started'] },
      endingSoonMinutes: 180,
    });
    assert.deepEqual((await read(alice.token)).body, {
      ...DEFAULTS,
      channels: { ...DEFAULTS.channels, live: [] },
      endingSoonMinutes: 1,
    });
  });
});

describe('refusals change nothing', () => {
  const badBodies: [string, string, string][] = [
    ['an inbox without every type', JSON.stringify({ channels: { inbox: ['outbid'] } }), 'INBOX_ALWAYS_ON'],
    ['an empty inbox', JSON.stringify({ channels: { inbox: [], email: [] } }), 'INBOX_ALWAYS_ON'],
    ['an unknown type', JSON.stringify({ channels: { email: ['outbid', 'price_drop'] } }), 'VALIDATION'],
    ['an unknown channel', JSON.stringify({ channels: { sms: ['outbid'] } }), 'VALIDATION'],
    ['a type listed twice', JSON.stringify({ channels: { live: ['outbid', 'outbid'] } }), 'VALIDATION'],
    ['a list that is not a list', JSON.stringify({ channels: { email: 'outbid' } }), 'VALIDATION'],
    ['a lead time not offered', JSON.stringify({ endingSoonMinutes: 7 }), 'VALIDATION'],
    ['a lead time as a string', JSON.stringify({ endingSoonMinutes: '15' }), 'VALIDATION'],
    ['an unknown field', JSON.stringify({ endingSoonMinutes: 5, muted: true }), 'VALIDATION'],
    ['an array body', '[]', 'VALIDATION'],
    ['malformed JSON', '{"channels": ', 'MALFORMED_JSON'],
  ];
  for (const [what, raw, code] of badBodies) {
    test(`when the body has ${what}, then 400 ${code} and the settings are as they were`, async () => {
      const user = await signUp(api.url, 'bad');
      const stored = await put(user.token, { channels: { email: ['outbid'] }, endingSoonMinutes: 60 });
      assert.equal(stored.status, 200);
      const answer = await putRaw(user.token, raw);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, code);
      assert.equal(typeof answer.body.error.message, 'string');
      assert.deepEqual((await read(user.token)).body, stored.body);
    });
  }

  test('when there is no token or a bad one, then 401 on GET and PUT', async () => {
    for (const init of [{}, { token: 'not.a.jwt' }]) {
      const code = 'token' in init ? 'INVALID_TOKEN' : 'UNAUTHENTICATED';
      const got = await call<ErrorJson>(`${api.url}${URL_PATH}`, init);
      const changed = await call<ErrorJson>(`${api.url}${URL_PATH}`, { ...init, method: 'PUT', body: {} });
      for (const answer of [got, changed]) {
        assert.equal(answer.status, 401);
        assert.equal(answer.body.error.code, code);
      }
    }
  });
});

describe('the store', () => {
  test('when one type is unsubscribed from email, then only that type goes and the rest stays as stored', async () => {
    const user = await signUp(api.url, 'unsubscriber');
    assert.deepEqual(await readSettings(database.db, user.id), DEFAULT_SETTINGS);
    await writeSettings(database.db, user.id, { endingSoonMinutes: 60 });
    await stopEmailing(database.db, user.id, 'outbid');
    const expected = {
      channels: { ...DEFAULT_SETTINGS.channels, email: DEFAULT_SETTINGS.channels.email.filter((t) => t !== 'outbid') },
      endingSoonMinutes: 60,
    };
    assert.deepEqual(await readSettings(database.db, user.id), expected);
    assert.deepEqual((await read(user.token)).body.channels.email, expected.channels.email);
  });
});
