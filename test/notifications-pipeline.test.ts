/**
 * The notification pipeline end to end, on the real stack (API, worker, Temporal, Postgres, Redis):
 * each occurrence reaches each user exactly once, in the inbox and on their live stream.
 * Invariant: one notification per occurrence per user, whatever retries happen.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type BidJson } from './helpers/http.js';
import { inbox, settle, waitForNotifications, type NotificationJson } from './helpers/notifications.js';
import { watchEvents } from './helpers/sse.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

type User = { id: string; token: string; email: string };

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let seller: User;
let ann: User;
let ben: User;
let cat: User;
before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: worker.taskQueue });
  seller = await signUp(api.url, 'seller');
  ann = await signUp(api.url, 'ann');
  ben = await signUp(api.url, 'ben');
  cat = await signUp(api.url, 'cat');
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
});

async function createAuction(endsInMs: number, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: {
      title: 'A brass telescope',
      startingPrice: 1000,
      endsAt: new Date(Date.now() + endsInMs).toISOString(),
      ...extra,
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.id;
}

async function bid(user: User, auctionId: string, amount: number): Promise<BidJson> {
  const answer = await call<BidJson>(`${api.url}/v1/auctions/${auctionId}/bids`, {
    token: user.token,
    body: { amount },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

const ofAuction = (items: NotificationJson[], auctionId: string, type?: string) =>
  items.filter((n) => n.auctionId === auctionId && (type === undefined || n.type === type));

test('when a leader is outbid, then they get one outbid notification in the inbox and on their live stream', async () => {
  const auctionId = await createAuction(120_000);
  const ticket = await call<{ ticket: string }>(`${api.url}/v1/users/me/events/ticket`, {
    method: 'POST',
    token: ann.token,
  });
  assert.equal(ticket.status, 201);
  const live = watchEvents(`${api.url}/v1/users/me/events?ticket=${ticket.body.ticket}`);
  await live.waitFor('unread');

  await bid(ann, auctionId, 2000);
  const displacing = await bid(ben, auctionId, 3000);
  assert.equal(displacing.leading, true);

  const [outbid] = await waitForNotifications(api.url, ann.token, { type: 'outbid', auctionId });
  assert.equal(outbid!.data.title, 'A brass telescope');
  assert.equal(outbid!.data.currentPrice, displacing.currentPrice);
  assert.equal(outbid!.data.minimumNextBid, displacing.minimumNextBid);
  const pushed = await live.waitFor('notification');
  assert.equal((pushed.data as NotificationJson).id, outbid!.id);
  assert.equal(pushed.id, String(outbid!.id));

  // Cat's bid is answered by Ben's proxy: Ben keeps the lead, so nobody new is outbid.
  const answered = await bid(cat, auctionId, 2500);
  assert.equal(answered.leading, false);
  await settle();
  assert.equal(ofAuction((await inbox(api.url, ann.token)).items, auctionId, 'outbid').length, 1);
  assert.equal(ofAuction((await inbox(api.url, ben.token)).items, auctionId, 'outbid').length, 0);
  assert.equal(ofAuction((await inbox(api.url, cat.token)).items, auctionId, 'outbid').length, 0);

  // Ann takes the lead back: now Ben is outbid, once.
  await bid(ann, auctionId, 10_000);
  await waitForNotifications(api.url, ben.token, { type: 'outbid', auctionId });
  await settle();
  assert.equal(ofAuction((await inbox(api.url, ben.token)).items, auctionId, 'outbid').length, 1);
  assert.equal(live.events.filter((e) => e.event === 'notification').length, 1);
  await live.close();
});

test('when an auction closes, then the winner, every other bidder and the seller are told once, with the result', async () => {
  const auctionId = await createAuction(3000);
  await bid(ann, auctionId, 2000);
  const { currentPrice } = await bid(ben, auctionId, 5000);
  const [won] = await waitForNotifications(api.url, ben.token, { type: 'auction_won', auctionId });
  const [lost] = await waitForNotifications(api.url, ann.token, { type: 'auction_lost', auctionId });
  const [ended] = await waitForNotifications(api.url, seller.token, { type: 'auction_ended', auctionId });
  assert.equal(won!.data.outcome, 'sold');
  assert.equal(won!.data.finalPrice, currentPrice);
  assert.equal(lost!.data.outcome, 'sold');
  assert.deepEqual([ended!.data.outcome, ended!.data.finalPrice, ended!.data.winnerId], ['sold', currentPrice, ben.id]);
  await settle();
  for (const [user, type] of [
    [ben, 'auction_won'],
    [ann, 'auction_lost'],
    [seller, 'auction_ended'],
  ] as const) {
    const mine = ofAuction((await inbox(api.url, user.token)).items, auctionId);
    assert.equal(mine.filter((n) => n.type === type).length, 1, `${type} once`);
  }
  assert.equal(ofAuction((await inbox(api.url, ben.token)).items, auctionId, 'auction_lost').length, 0);
  assert.equal(ofAuction((await inbox(api.url, cat.token)).items, auctionId).length, 0, 'no bid, no watch: nothing');
});

test('when an auction on a watchlist starts, nears its end and is cancelled, then its watcher hears each once', async () => {
  const auctionId = await createAuction(60_000, { startsAt: new Date(Date.now() + 1500).toISOString() });
  const watched = await call(`${api.url}/v1/users/me/watchlist/${auctionId}`, { method: 'PUT', token: cat.token });
  assert.equal(watched.status, 204);
  const [started] = await waitForNotifications(api.url, cat.token, { type: 'auction_started', auctionId });
  assert.equal(started!.data.minimumNextBid, 1000);
  // A minute-long auction is already inside the default 15-minute lead time when it opens.
  const [soon] = await waitForNotifications(api.url, cat.token, { type: 'auction_ending_soon', auctionId });
  assert.equal(soon!.data.minutesLeft, 15);
  await bid(ann, auctionId, 1500);
  const cancelled = await call(`${api.url}/v1/auctions/${auctionId}/cancel`, {
    token: seller.token,
    body: { reason: 'Damaged in transit' },
  });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  const [toWatcher] = await waitForNotifications(api.url, cat.token, { type: 'auction_cancelled', auctionId });
  assert.equal(toWatcher!.data.reason, 'Damaged in transit');
  await waitForNotifications(api.url, ann.token, { type: 'auction_cancelled', auctionId });
  await settle();
  const cats = ofAuction((await inbox(api.url, cat.token)).items, auctionId);
  assert.deepEqual(cats.map((n) => n.type).sort(), ['auction_cancelled', 'auction_ending_soon', 'auction_started']);
  assert.equal(ofAuction((await inbox(api.url, seller.token)).items, auctionId, 'auction_cancelled').length, 0);
});
