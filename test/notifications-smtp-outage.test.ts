/**
 * Fault: the SMTP server is down. Mail waits in the outbox and is retried with backoff; once the server
 * is back (after 20 s here), the mail arrives, exactly once. Bids are not slowed: sending is off the
 * bid route entirely (the persist cycle queues the row; the dispatch workflow sends it).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { emailOutbox } from '../db/schema.js';
import type { Child } from '../scripts/stack/child.js';
import { startMailpit } from '../scripts/stack/mailpit.js';
import { profiles } from '../scripts/stack/profiles.js';
import { stopService } from '../scripts/stack/stop.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { waitForMessagesTo } from './helpers/mailpit.js';
import { settle, waitForNotifications } from './helpers/notifications.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

const OUTAGE_MS = 20_000;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let mailpit: Child | null = null;
let smtpPort: number;
let httpPort: number;
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gavel-smtp-outage-'));
before(async () => {
  [smtpPort, httpPort] = [await freePort(), await freePort()];
  database = await createTestDatabase();
  // Retries at most 4 s apart, so the mail goes out within seconds of the server's return.
  worker = await startTestWorker(database.db, {
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    EMAIL_RETRY_MAX_SECONDS: '4',
  });
  await worker.dispatch('email');
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: worker.taskQueue });
});
after(async () => {
  await api.close();
  await worker.stop();
  if (mailpit) await stopService(mailpit);
  await database.drop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

test('when the SMTP server is down for 20 s, then the mail waits, is retried, and arrives once after', async () => {
  const seller = await signUp(api.url, 'seller');
  const ann = await signUp(api.url, 'ann');
  const ben = await signUp(api.url, 'ben');
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'A clock', startingPrice: 1000, endsAt: new Date(Date.now() + 120_000).toISOString() },
  });
  const auctionId = created.body.id;
  assert.equal(
    (await call(`${api.url}/v1/auctions/${auctionId}/bids`, { token: ann.token, body: { amount: 2000 } })).status,
    201,
  );
  assert.equal(
    (await call(`${api.url}/v1/auctions/${auctionId}/bids`, { token: ben.token, body: { amount: 3000 } })).status,
    201,
  );
  const [outbid] = await waitForNotifications(api.url, ann.token, { type: 'outbid', auctionId });
  const downSince = Date.now();

  // Failing, and waiting: attempts counted, the reason kept, not sent.
  const deadline = Date.now() + 15_000;
  let row = (await database.db.select().from(emailOutbox).where(eq(emailOutbox.notificationId, outbid!.id)))[0];
  while ((row?.attempts ?? 0) < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    row = (await database.db.select().from(emailOutbox).where(eq(emailOutbox.notificationId, outbid!.id)))[0];
  }
  assert.ok(row && row.attempts >= 2, `retried while down (attempts: ${row?.attempts})`);
  assert.equal(row.sentAt, null);
  assert.match(row.lastError ?? '', /ECONNREFUSED|connect/i);

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - downSince))));
  const profile = { ...profiles.test, stateDir, logDir: stateDir, smtpPort, mailpitHttpPort: httpPort, fresh: true };
  mailpit = await startMailpit(profile);
  process.env.MAILPIT_URL = `http://127.0.0.1:${httpPort}`;

  await waitForMessagesTo(ann.email, 1, 20_000);
  await settle(2000);
  assert.equal((await waitForMessagesTo(ann.email, 1)).length, 1, 'exactly one mail');
  const [sent] = await database.db.select().from(emailOutbox).where(eq(emailOutbox.notificationId, outbid!.id));
  assert.ok(sent!.sentAt, 'marked sent');
});
