/**
 * Bidder privacy over real HTTP (real Postgres, Redis, Temporal): three people bid on an auction, one
 * retracts, and it closes sold. Every read route anyone may call without a token (every GET of the
 * OpenAPI document open to anonymous callers, so a route added later is crawled too) and the auction's
 * event stream, live and replayed, are searched for the bidders' account ids: none may appear. Then
 * each viewer the rule (domain/bidder-privacy.ts) entitles sees what it allows: the seller and an admin
 * (by ADMIN_EMAILS) every id, each bidder their own; and the seller's bidders view refuses anyone else.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { AuctionBidderList, BidPage, PlacedBid } from '../api/auctions/responses.js';
import { buildOpenApiDocument } from '../api/openapi/document.js';
import type { WatchlistPage } from '../api/notifications/responses.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type ErrorJson } from './helpers/http.js';
import { eventually } from './helpers/listing.js';
import { watchEvents, type SseEvent } from './helpers/sse.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

interface Person {
  id: string;
  token: string;
}

/** Listed in ADMIN_EMAILS in capitals: the comparison ignores case. */
const ADMIN_EMAIL = `admin-${randomUUID()}@example.test`;
/** Long enough to bid, retract and read everything while it is open; short enough to see it close. */
const OPEN_FOR_MS = 12_000;

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let seller: Person;
let ann: Person;
let ben: Person;
let cy: Person;
let dee: Person;
let admin: Person;
let auctionId: string;
const placed = new Map<string, PlacedBid>();
/** An anonymous follower of the auction's stream from before the first bid to the close. */
let follower: ReturnType<typeof watchEvents>;

async function signUpAdmin(): Promise<Person> {
  const password = 'correct horse battery staple';
  const user = await call<{ id: string }>(`${api.url}/v1/users`, {
    body: { email: ADMIN_EMAIL, password, displayName: 'Ops' },
  });
  assert.equal(user.status, 201, JSON.stringify(user.body));
  const token = await call<{ accessToken: string }>(`${api.url}/v1/auth/token`, {
    body: { email: ADMIN_EMAIL, password },
  });
  return { id: user.body.id, token: token.body.accessToken };
}

/** Reads as `who` (their token), or anonymously. */
const as = (who?: Person) => (who ? { token: who.token } : {});
const auctionAs = async (who?: Person) =>
  (await call<AuctionJson & { viewerAlias: string | null }>(`${api.url}/v1/auctions/${auctionId}`, as(who))).body;
const bidsAs = async (who?: Person) => (await call<BidPage>(`${api.url}/v1/auctions/${auctionId}/bids`, as(who))).body;

async function bid(who: Person, amount: number) {
  const answer = await call<PlacedBid>(`${api.url}/v1/auctions/${auctionId}/bids`, {
    token: who.token,
    body: { amount },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  placed.set(who.id, answer.body);
}

/** The bidders' account ids that appear anywhere in `text`. */
const bidderIdsIn = (text: string) => [ann, ben, cy].map((p) => p.id).filter((id) => text.includes(id));

/**
 * Every GET of the OpenAPI document that anyone may call without a token, its path parameters filled
 * with the auction's id, with a few queries that list the auction; event streams are read apart.
 */
function anonymousReads(): string[] {
  const document = buildOpenApiDocument() as {
    paths: Record<string, { get?: { security?: object[]; responses?: Record<string, { content?: object }> } }>;
  };
  const urls: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const read = item.get;
    if (!read) continue;
    const anonymous = read.security === undefined || read.security.some((scheme) => Object.keys(scheme).length === 0);
    const streams = Object.keys(read.responses?.['200']?.content ?? {}).includes('text/event-stream');
    if (!anonymous || streams) continue;
    urls.push(path.replace(/\{[^}]+\}/g, auctionId));
  }
  urls.push(
    `/v1/auctions?sellerId=${seller.id}`,
    '/v1/auctions?status=open&kind=auction',
    '/v1/auctions?status=closed',
    '/v1/auctions?q=privacy',
    `/v1/auctions/${auctionId}/bids?limit=1`,
  );
  return urls;
}

/** Crawls every anonymous read: returns the urls whose answers carry a bidder's account id. */
async function leakingReads(): Promise<string[]> {
  const leaks: string[] = [];
  for (const url of anonymousReads()) {
    const response = await fetch(`${api.url}${url}`, { redirect: 'manual' });
    const text = await response.text();
    const found = bidderIdsIn(text + JSON.stringify([...response.headers]));
    if (found.length > 0) leaks.push(`${url} (${response.status})`);
  }
  return leaks;
}

const eventsOf = (events: SseEvent[], type: string) => events.filter((event) => event.event === type);

before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  api = await startTestApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: worker.taskQueue,
    SSE_HEARTBEAT_MS: '100',
    ADMIN_EMAILS: `someone@example.test, ${ADMIN_EMAIL.toUpperCase()}`,
  });
  [seller, ann, ben, cy, dee] = await Promise.all([
    signUp(api.url, 'seller'),
    signUp(api.url, 'Ann'),
    signUp(api.url, 'Ben'),
    signUp(api.url, 'Cy'),
    signUp(api.url, 'Dee'),
  ]);
  admin = await signUpAdmin();
  const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: {
      title: 'A privacy test lot',
      startingPrice: 1000,
      endsAt: new Date(Date.now() + OPEN_FOR_MS).toISOString(),
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  auctionId = created.body.id;
  follower = watchEvents(`${api.url}/v1/auctions/${auctionId}/events`);
  await follower.waitFor('snapshot');
  // Aliases by order of first bid: Ann 1, Ben 2, Cy 3. Cy leads, then takes his bid back: Ben leads.
  await bid(ann, 2000);
  await bid(ben, 3000);
  await bid(cy, 5000);
  const retraction = await call<{ retractedAlias: string; leaderAlias: string }>(
    `${api.url}/v1/auctions/${auctionId}/retractions`,
    { token: cy.token, body: { reason: 'wrong_amount' } },
  );
  assert.equal(retraction.status, 201, JSON.stringify(retraction.body));
  assert.deepEqual([retraction.body.retractedAlias, retraction.body.leaderAlias], ['Bidder 3', 'Bidder 2']);
  await call(`${api.url}/v1/users/me/watchlist/${auctionId}`, { method: 'PUT', token: dee.token });
  await call(`${api.url}/v1/users/me/watchlist/${auctionId}`, { method: 'PUT', token: ann.token });
  await eventually(
    'the retraction persisted and listed',
    async () => (await bidsAs()).items.some((item) => item.retracted) && (await auctionAs()).bidCount === 2,
    10_000,
  );
});
after(async () => {
  await follower?.close();
  await api.close();
  await worker.stop();
  await database.drop();
});

describe('while the auction is open', () => {
  test('when bidders bid, then each answer gives them their own alias, in the order of first bids', () => {
    assert.deepEqual(
      [ann, ben, cy].map((p) => placed.get(p.id)?.bidderAlias),
      ['Bidder 1', 'Bidder 2', 'Bidder 3'],
    );
  });

  test('when anyone reads without a token, then no answer carries a bidder account id', async () => {
    assert.deepEqual(await leakingReads(), []);
    const auction = await auctionAs();
    assert.deepEqual([auction.leaderId, auction.leaderAlias, auction.viewerAlias], [null, 'Bidder 2', null]);
    const history = await bidsAs();
    assert.deepEqual(
      history.items.map((item) => [item.bidderId, item.bidderAlias, item.retracted]),
      [
        [null, 'Bidder 1', false],
        [null, 'Bidder 2', false],
        [null, 'Bidder 3', true],
      ],
    );
    await eventually('the listing has the retraction', async () => {
      const listed = await call<{ items: AuctionJson[] }>(`${api.url}/v1/auctions?sellerId=${seller.id}`);
      const item = listed.body.items.find((one) => one.id === auctionId);
      return item?.leaderAlias === 'Bidder 2' && item.leaderId === null && item.bidCount === 2;
    });
  });

  test('when the seller or an admin reads, then they see every bidder id', async () => {
    for (const viewer of [seller, admin]) {
      const auction = await auctionAs(viewer);
      assert.deepEqual([auction.leaderId, auction.leaderAlias, auction.viewerAlias], [ben.id, 'Bidder 2', null]);
      assert.deepEqual(
        (await bidsAs(viewer)).items.map((item) => item.bidderId),
        [ann.id, ben.id, cy.id],
      );
    }
  });

  test('when a bidder reads, then they see their own id and alias, and nobody else’s id', async () => {
    const asAnn = await auctionAs(ann);
    assert.deepEqual([asAnn.leaderId, asAnn.leaderAlias, asAnn.viewerAlias], [null, 'Bidder 2', 'Bidder 1']);
    const asBen = await auctionAs(ben);
    assert.deepEqual([asBen.leaderId, asBen.viewerAlias], [ben.id, 'Bidder 2'], 'Ben leads: it is his own id');
    assert.deepEqual(
      (await bidsAs(cy)).items.map((item) => item.bidderId),
      [null, null, cy.id],
    );
    // A watcher who never bid sees the leader by alias; Ann's own lists carry no one else's id either.
    const watched = await call<WatchlistPage>(`${api.url}/v1/users/me/watchlist`, { token: dee.token });
    assert.deepEqual([watched.body.items[0]?.leaderId, watched.body.items[0]?.leaderAlias], [null, 'Bidder 2']);
    assert.deepEqual(bidderIdsIn(JSON.stringify(watched.body)), []);
    for (const own of ['/v1/users/me/watchlist', '/v1/users/me/bids', `/v1/auctions/${auctionId}/bids?bidder=me`]) {
      const body = JSON.stringify((await call(`${api.url}${own}`, as(ann))).body);
      assert.deepEqual(
        bidderIdsIn(body).filter((id) => id !== ann.id),
        [],
        own,
      );
    }
  });

  test('when the token is invalid, then the reads that take an optional one answer 401', async () => {
    for (const path of [`/v1/auctions/${auctionId}`, `/v1/auctions/${auctionId}/bids`]) {
      const answer = await call<ErrorJson>(`${api.url}${path}`, { token: 'not-a-token' });
      assert.deepEqual([answer.status, answer.body.error.code], [401, 'INVALID_TOKEN'], path);
    }
  });

  test("when the seller or an admin lists the auction's bidders, then each shows with name, bids and retractions", async () => {
    for (const viewer of [seller, admin]) {
      await eventually(
        'the retraction counted',
        async () => {
          const answer = await call<AuctionBidderList>(`${api.url}/v1/auctions/${auctionId}/bidders`, as(viewer));
          assert.equal(answer.status, 200, JSON.stringify(answer.body));
          return answer.body.items.find((item) => item.bidderId === cy.id)?.recentRetractions === 1;
        },
        10_000,
      );
      const answer = await call<AuctionBidderList>(`${api.url}/v1/auctions/${auctionId}/bidders`, as(viewer));
      assert.deepEqual(answer.body.items, [
        {
          bidderAlias: 'Bidder 1',
          bidderId: ann.id,
          displayName: 'Ann',
          bidCount: 1,
          retracted: false,
          recentRetractions: 0,
        },
        {
          bidderAlias: 'Bidder 2',
          bidderId: ben.id,
          displayName: 'Ben',
          bidCount: 1,
          retracted: false,
          recentRetractions: 0,
        },
        {
          bidderAlias: 'Bidder 3',
          bidderId: cy.id,
          displayName: 'Cy',
          bidCount: 0,
          retracted: true,
          recentRetractions: 1,
        },
      ]);
    }
  });

  test("when anyone else asks for the auction's bidders, then 403 (401 without a token)", async () => {
    for (const viewer of [ann, dee]) {
      const answer = await call<ErrorJson>(`${api.url}/v1/auctions/${auctionId}/bidders`, as(viewer));
      assert.deepEqual([answer.status, answer.body.error.code], [403, 'NOT_SELLER']);
    }
    const anonymous = await call<ErrorJson>(`${api.url}/v1/auctions/${auctionId}/bidders`);
    assert.deepEqual([anonymous.status, anonymous.body.error.code], [401, 'UNAUTHENTICATED']);
  });
});

describe('once it has closed', () => {
  before(async () => {
    await follower.waitFor('closed', OPEN_FOR_MS + 20_000);
    await eventually('the result listed', async () => {
      const listed = await call<{ items: AuctionJson[] }>(`${api.url}/v1/auctions?sellerId=${seller.id}`);
      return listed.body.items.some((item) => item.id === auctionId && item.result !== null);
    });
  });

  test('when anyone followed the stream, then its snapshot, bid, retracted and closed events carry no account id', () => {
    const events = follower.events;
    assert.equal(eventsOf(events, 'snapshot').length, 1);
    assert.deepEqual(
      eventsOf(events, 'bid').map((event) => (event.data as { leaderAlias: string }).leaderAlias),
      ['Bidder 1', 'Bidder 2', 'Bidder 3'],
    );
    const retracted = eventsOf(events, 'retracted').map((event) => event.data as Record<string, unknown>);
    assert.deepEqual(
      retracted.map((data) => [data.retractedAlias, data.leaderId, data.leaderAlias, data.bidCount]),
      [['Bidder 3', null, 'Bidder 2', 2]],
    );
    const closed = eventsOf(events, 'closed')[0]!.data as AuctionJson['result'];
    assert.deepEqual([closed?.outcome, closed?.winnerId, closed?.winnerAlias], ['sold', null, 'Bidder 2']);
    assert.deepEqual(bidderIdsIn(JSON.stringify(events)), []);
  });

  test('when a follower reconnects from the start, then the replay and the closed snapshot carry no account id', async () => {
    const again = watchEvents(`${api.url}/v1/auctions/${auctionId}/events`, { 'Last-Event-ID': '0' });
    const snapshot = await again.waitFor('snapshot');
    await again.close();
    assert.deepEqual(
      again.events.map((event) => event.event),
      ['bid', 'bid', 'bid', 'retracted', 'snapshot'],
    );
    const result = (snapshot.data as AuctionJson).result;
    assert.deepEqual([result?.winnerId, result?.winnerAlias], [null, 'Bidder 2']);
    assert.deepEqual(bidderIdsIn(JSON.stringify(again.events)), []);
  });

  test('when anyone reads without a token, then the result names the winner by alias only', async () => {
    assert.deepEqual(await leakingReads(), []);
    const result = (await auctionAs()).result;
    assert.deepEqual([result?.outcome, result?.winnerId, result?.winnerAlias], ['sold', null, 'Bidder 2']);
  });

  test('when the seller, an admin or the winner reads, then the result names the winner by account too', async () => {
    for (const viewer of [seller, admin, ben]) {
      const result = (await auctionAs(viewer)).result;
      assert.deepEqual([result?.winnerId, result?.winnerAlias], [ben.id, 'Bidder 2']);
    }
    const asAnn = (await auctionAs(ann)).result;
    assert.deepEqual([asAnn?.winnerId, asAnn?.winnerAlias], [null, 'Bidder 2']);
  });
});
