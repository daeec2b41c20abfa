/**
 * Notification mail through the real SMTP server (the stack's Mailpit): text and HTML parts, the
 * auction's link, and a one-click unsubscribe (RFC 8058) that works without signing in and turns off
 * only that type; forged links change nothing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { emailOutbox, notificationSettings, notifications } from '../db/schema.js';
import { DEFAULT_SETTINGS } from '../domain/notifications/settings.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { getHeaders, getMessage, waitForMessagesTo } from './helpers/mailpit.js';
import { settle, waitForNotifications } from './helpers/notifications.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

type User = { id: string; token: string; email: string };

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let seller: User;
let ann: User;
let ben: User;
before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db, { PUBLIC_URL: 'http://gavel.test' });
  await worker.dispatch('email');
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: worker.taskQueue });
  seller = await signUp(api.url, 'seller');
  ann = await signUp(api.url, 'ann');
  ben = await signUp(api.url, 'ben');
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
});

async function auctionWithOutbid(): Promise<string> {
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'A <b>bold</b> lamp', startingPrice: 1000, endsAt: new Date(Date.now() + 120_000).toISOString() },
  });
  assert.equal(created.status, 201);
  for (const [user, amount] of [
    [ann, 2000],
    [ben, 3000],
  ] as const) {
    const bid = await call(`${api.url}/v1/auctions/${created.body.id}/bids`, { token: user.token, body: { amount } });
    assert.equal(bid.status, 201);
  }
  return created.body.id;
}

const unsubscribeUrlOf = (listUnsubscribe: string) => {
  const match = /<(http[^>]+)>/.exec(listUnsubscribe);
  assert.ok(match, `no URL in List-Unsubscribe: ${listUnsubscribe}`);
  // The links name the public address (PUBLIC_URL); the test reaches the same route on the test API.
  return match[1]!.replace('http://gavel.test', api.url);
};

test('when a bidder is outbid, twice, then one mail reaches them with text, escaped HTML, the link and one-click unsubscribe', async () => {
  const auctionId = await auctionWithOutbid();
  const [summary] = await waitForMessagesTo(ann.email, 1, 20_000);
  assert.match(summary!.Subject, /outbid/);
  const message = await getMessage(summary!.ID);
  assert.match(message.Text, /\$20\.50/);
  assert.match(message.Text, new RegExp(`http://gavel.test/v1/auctions/${auctionId}`));
  assert.match(message.HTML, /A &lt;b&gt;bold&lt;\/b&gt; lamp/, 'the title is escaped in HTML');
  const headers = await getHeaders(summary!.ID);
  assert.deepEqual(headers['List-Unsubscribe-Post'], ['List-Unsubscribe=One-Click']);
  assert.ok(headers['List-Unsubscribe']?.[0]?.includes('/v1/notifications/unsubscribe?token='));
  // Outbid again on the same auction within the quiet period: a second inbox item, no second mail.
  for (const [user, amount] of [
    [ann, 10_000],
    [ben, 20_000],
  ] as const) {
    const bid = await call(`${api.url}/v1/auctions/${auctionId}/bids`, { token: user.token, body: { amount } });
    assert.equal(bid.status, 201);
  }
  await waitForNotifications(api.url, ann.token, { type: 'outbid', auctionId, count: 2 });
  await settle(2000);
  assert.equal((await waitForMessagesTo(ann.email, 1)).length, 1, 'exactly one mail');
});

test('when the one-click unsubscribe is posted, then only that type stops, and later outbids send no mail', async () => {
  const [summary] = await waitForMessagesTo(ann.email, 1, 20_000);
  const url = unsubscribeUrlOf((await getHeaders(summary!.ID))['List-Unsubscribe']![0]!);

  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<form method="post"/);
  const [untouched] = await database.db
    .select()
    .from(notificationSettings)
    .where(eq(notificationSettings.userId, ann.id));
  assert.equal(untouched, undefined, 'showing the page changes nothing');

  const oneClick = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  assert.equal(oneClick.status, 200, await oneClick.clone().text());
  const [settings] = await database.db
    .select()
    .from(notificationSettings)
    .where(eq(notificationSettings.userId, ann.id));
  assert.deepEqual(
    settings!.emailTypes,
    DEFAULT_SETTINGS.channels.email.filter((type) => type !== 'outbid'),
    'every default email type but the outbid stays on',
  );
  assert.ok(settings!.emailTypes?.includes('auction_won'));
  assert.equal(settings!.liveTypes, null, 'other channels untouched');

  const auctionId = await auctionWithOutbid();
  const outbids = await waitForNotifications(api.url, ann.token, { type: 'outbid', auctionId });
  const outbox = await database.db.select().from(emailOutbox).where(eq(emailOutbox.notificationId, outbids[0]!.id));
  assert.equal(outbox.length, 0, 'no mail queued for a type turned off');
  assert.equal((await waitForMessagesTo(ann.email, 1)).length, 1);
});

test('when an unsubscribe token is forged for another user, tampered or missing, then the answer is 400 and nothing changes', async () => {
  const [summary] = await waitForMessagesTo(ann.email, 1, 20_000);
  const base = `${api.url}/v1/notifications/unsubscribe`;
  const real = unsubscribeUrlOf((await getHeaders(summary!.ID))['List-Unsubscribe']![0]!);
  const token = new URL(real).searchParams.get('token')!;
  const [header, payload, signature] = token.split('.');
  const otherPayload = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: ben.id }),
  ).toString('base64url');
  const before = await database.db.select().from(notificationSettings);
  for (const bad of [`${header}.${otherPayload}.${signature}`, `${token}x`, 'not-a-token', '']) {
    const answer = await fetch(`${base}?token=${encodeURIComponent(bad)}`, { method: 'POST' });
    assert.equal(answer.status, 400, bad);
    const body = (await answer.json()) as { error: { code: string } };
    assert.ok(['INVALID_UNSUBSCRIBE_TOKEN', 'VALIDATION'].includes(body.error.code));
  }
  assert.deepEqual(await database.db.select().from(notificationSettings), before);
  assert.ok((await database.db.select().from(notifications)).length > 0);
});
