/**
 * The auction routes over real HTTP with a real worker: creation, scheduled start, idempotent bids,
 * buy-now, cancel, and bad input that answers 4xx in the error shape and changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import type { auctionWorkflow } from '../workflows/auction.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { watchEvents } from './helpers/sse.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type BidJson, type ErrorJson } from './helpers/http.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let seller: { id: string; token: string };
let bidder: { id: string; token: string };
before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: worker.taskQueue });
  seller = await signUp(api.url, 'seller');
  bidder = await signUp(api.url, 'bidder');
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
});

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

async function createAuction(body: Record<string, unknown> = {}) {
  const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Lot', startingPrice: 1000, endsAt: inSeconds(60), ...body },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

const bid = (auctionId: string, body: unknown, token = bidder.token, headers: Record<string, string> = {}) =>
  call<BidJson & ErrorJson>(`${api.url}/v1/auctions/${auctionId}/bids`, { token, body, headers });

const auctionNow = async (id: string) => (await call<AuctionJson>(`${api.url}/v1/auctions/${id}`)).body;

/** The order a sale made for its winner (test/auction-terms.test.ts checks it against Postgres). */
function orderOf(final: { result: { orderId?: string } | null }): string {
  const orderId = final.result?.orderId;
  assert.match(orderId ?? '', /^[0-9a-f-]{36}$/);
  return orderId!;
}

describe('creating and reading', () => {
  test('when a seller creates an auction, then it is open, priced at the start, and the workflow runs', async () => {
    const auction = await createAuction({ reservePrice: 5000 });
    assert.equal(auction.status, 'open');
    assert.equal(auction.currentPrice, 1000);
    assert.equal(auction.minimumNextBid, 1000);
    assert.equal(auction.reserveMet, false);
    assert.equal(auction.sellerId, seller.id);
    assert.equal(Object.hasOwn(auction, 'reservePrice'), false, 'the reserve is never shown');
    const description = await worker.client.workflow
      .getHandle<typeof auctionWorkflow>(auctionWorkflowId(auction.id))
      .describe();
    assert.equal(description.status.name, 'RUNNING');
  });

  test('when startsAt is in the future, then it is scheduled and refuses bids until then', async () => {
    const auction = await createAuction({ startsAt: inSeconds(1.5), endsAt: inSeconds(30) });
    assert.equal(auction.status, 'scheduled');
    const early = await bid(auction.id, { amount: 1000 });
    assert.equal(early.status, 409);
    assert.equal(early.body.error.code, 'AUCTION_NOT_OPEN');
    await new Promise((resolve) => setTimeout(resolve, 1700));
    assert.equal((await bid(auction.id, { amount: 1000 })).status, 201);
  });

  test('when the longest valid title and description arrive with every character \\u-escaped, then the auction is created', async () => {
    // ~31 KB: Python's json, for one, escapes all non-ASCII so. The body cap must not refuse a valid body.
    const escaped = (n: number) => '\\u00e9'.repeat(n);
    const raw = `{"title":"${escaped(200)}","description":"${escaped(5000)}","startingPrice":1000,"endsAt":"${inSeconds(60)}"}`;
    const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, { token: seller.token, raw });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.description, 'é'.repeat(5000));
  });

  test('when auctions are listed, then pages follow each other without repeats', async () => {
    const mine = await Promise.all([createAuction(), createAuction(), createAuction()]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: AuctionJson[]; nextCursor: string | null } } = await call(
        `${api.url}/v1/auctions?sellerId=${seller.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(page.status, 200);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length);
    for (const auction of mine) assert.ok(seen.includes(auction.id));
  });
});

describe('bidding', () => {
  test('when a bid is retried with the same Idempotency-Key, then the first answer returns and no second bid exists', async () => {
    const auction = await createAuction();
    const first = await bid(auction.id, { amount: 1500 }, bidder.token, { 'idempotency-key': 'retry-1' });
    const again = await bid(auction.id, { amount: 1500 }, bidder.token, { 'idempotency-key': 'retry-1' });
    assert.equal(first.status, 201);
    assert.deepEqual(again, first);
    assert.equal((await auctionNow(auction.id)).bidCount, 1);
    const other = await bid(auction.id, { amount: 2000 }, bidder.token, { 'idempotency-key': 'retry-2' });
    assert.equal(other.status, 201);
    assert.equal(other.body.seq, 2);
  });

  test('when the seller bids on their own auction, then 403 SELLER_CANNOT_BID', async () => {
    const auction = await createAuction();
    const answer = await bid(auction.id, { amount: 1000 }, seller.token);
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'SELLER_CANNOT_BID');
  });

  test('when a bid is below the minimum, then 409 BID_TOO_LOW says the minimum', async () => {
    const auction = await createAuction();
    const answer = await bid(auction.id, { amount: 999 });
    assert.equal(answer.status, 409);
    assert.equal(answer.body.error.code, 'BID_TOO_LOW');
    assert.equal(answer.body.error.minimumNextBid, 1000);
  });

  test('when a bidder buys now, then the auction closes at once, sold at the buy-now price', async () => {
    const auction = await createAuction({ buyNowPrice: 9000 });
    const answer = await bid(auction.id, { amount: 9000, buyNow: true });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const final = await worker.client.workflow
      .getHandle<typeof auctionWorkflow>(auctionWorkflowId(auction.id))
      .result();
    assert.deepEqual(final.result, { outcome: 'sold', winnerId: bidder.id, finalPrice: 9000, orderId: orderOf(final) });
    assert.equal((await bid(auction.id, { amount: 20_000 })).body.error.code, 'AUCTION_NOT_OPEN');
  });
});

describe('cancelling', () => {
  test('when someone other than the seller cancels, then 403 and the auction goes on', async () => {
    const auction = await createAuction();
    const answer = await call<ErrorJson>(`${api.url}/v1/auctions/${auction.id}/cancel`, {
      token: bidder.token,
      body: { reason: 'mine now' },
    });
    assert.equal(answer.status, 403);
    assert.equal((await auctionNow(auction.id)).status, 'open');
  });

  test('when the seller cancels, then no bid is accepted and the auction ends cancelled with no winner', async () => {
    const auction = await createAuction();
    assert.equal((await bid(auction.id, { amount: 1200 })).status, 201);
    const answer = await call<AuctionJson>(`${api.url}/v1/auctions/${auction.id}/cancel`, {
      token: seller.token,
      body: { reason: 'item damaged' },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.status, 'cancelled');
    assert.equal((await bid(auction.id, { amount: 5000 })).body.error.code, 'AUCTION_NOT_OPEN');
    const final = await worker.client.workflow
      .getHandle<typeof auctionWorkflow>(auctionWorkflowId(auction.id))
      .result();
    assert.equal(final.status, 'cancelled');
    assert.equal(final.result, null);
    const history = await call<{ items: unknown[] }>(`${api.url}/v1/auctions/${auction.id}/bids`);
    assert.equal(history.body.items.length, 1, 'the bid before the cancel is kept');
    const again = await call<AuctionJson>(`${api.url}/v1/auctions/${auction.id}/cancel`, {
      token: seller.token,
      body: { reason: 'clicked twice' },
    });
    assert.equal(again.status, 200, 'a repeated cancel answers the same, not 500');
    assert.equal(again.body.status, 'cancelled');
  });
});

describe('when a signal to the workflow is lost', () => {
  test('then a buy-now and a cancel made only in Redis still end their workflows (read at the next persist)', async () => {
    const [bought, withdrawn] = await Promise.all([createAuction({ buyNowPrice: 9000 }), createAuction()]);
    // Straight to the store: the API's bidsPending/cancel signals are never sent.
    const purchase = await worker.store.placeBid(bought.id, {
      bidderId: bidder.id,
      amount: 9000,
      buyNow: true,
      idempotencyKey: null,
    });
    assert.equal(purchase?.accepted, true);
    assert.equal(await worker.store.cancelAuction(withdrawn.id), 'cancelled');
    const handle = (id: string) => worker.client.workflow.getHandle<typeof auctionWorkflow>(auctionWorkflowId(id));
    const [sold, cancelled] = await Promise.all([handle(bought.id).result(), handle(withdrawn.id).result()]);
    // Without reading Redis at each persist, both would wait for their scheduled end, a minute away.
    assert.ok(Date.now() < Date.parse(bought.endsAt) - 30_000, 'learned of the buy-now long before the end');
    assert.ok(Date.now() < Date.parse(withdrawn.endsAt) - 30_000, 'learned of the cancel long before the end');
    assert.deepEqual(sold.result, { outcome: 'sold', winnerId: bidder.id, finalPrice: 9000, orderId: orderOf(sold) });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.result, null);
  });
});

describe('bad input changes nothing', () => {
  let auction: AuctionJson;
  before(async () => {
    auction = await createAuction();
    assert.equal((await bid(auction.id, { amount: 1000 })).status, 201);
  });

  const badBids: [string, string][] = [
    ['malformed JSON', '{"amount": '],
    ['a missing amount', '{}'],
    ['a fractional amount', '{"amount": 1500.5}'],
    ['a negative amount', '{"amount": -1500}'],
    ['a zero amount', '{"amount": 0}'],
    ['an unsafe integer', '{"amount": 9007199254740993}'],
    ['a string for a number', '{"amount": "1500"}'],
    ['an array body', '[1500]'],
    ['an unknown field', '{"amount": 1500, "bidderId": "someone-else"}'],
  ];
  for (const [what, raw] of badBids) {
    test(`when a bid has ${what}, then 400 and the auction is unchanged`, async () => {
      const before = await auctionNow(auction.id);
      const answer = await call<ErrorJson>(`${api.url}/v1/auctions/${auction.id}/bids`, { token: bidder.token, raw });
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.match(answer.body.error.code, /^(VALIDATION|MALFORMED_JSON)$/);
      assert.deepEqual(await auctionNow(auction.id), before);
    });
  }

  test('when the Idempotency-Key has characters outside its alphabet, then 400', async () => {
    const answer = await bid(auction.id, { amount: 5000 }, bidder.token, { 'idempotency-key': 'a:b{x}' });
    assert.equal(answer.status, 400);
  });

  const badTokens: [string, string | undefined, string][] = [
    ['no token', undefined, 'UNAUTHENTICATED'],
    ['a garbage token', 'not.a.jwt', 'INVALID_TOKEN'],
    [
      'an alg:none token',
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`,
      'INVALID_TOKEN',
    ],
  ];
  for (const [what, token, code] of badTokens) {
    test(`when a bid comes with ${what}, then 401 ${code} and nothing changes`, async () => {
      const before = await auctionNow(auction.id);
      const answer = await call<ErrorJson>(`${api.url}/v1/auctions/${auction.id}/bids`, {
        body: { amount: 5000 },
        ...(token === undefined ? {} : { token }),
      });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.code, code);
      assert.deepEqual(await auctionNow(auction.id), before);
    });
  }

  for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
    test(`when the auction id is unknown (${id}), then 404 NOT_FOUND everywhere`, async () => {
      assert.equal((await call(`${api.url}/v1/auctions/${id}`)).status, 404);
      assert.equal((await bid(id, { amount: 5000 })).status, 404);
      assert.equal((await call(`${api.url}/v1/auctions/${id}/bids`)).status, 404);
    });
  }

  const badAuctions: [string, Record<string, unknown>][] = [
    ['an end in the past', { endsAt: new Date(Date.now() - 1000).toISOString() }],
    ['a float price', { startingPrice: 10.5 }],
    ['a reserve below the start', { reservePrice: 10 }],
    ['a buy-now not above the start', { buyNowPrice: 1000 }],
    ['an end that is not a date', { endsAt: 'tomorrow' }],
    ['a lowercase currency', { currency: 'usd' }],
    // Postgres text cannot hold U+0000: refused as a 400, never a 500 from the insert.
    ['a title with U+0000', { title: 'Lot\u0000' }],
    ['a description with U+0000', { description: 'Mint\u0000' }],
    ['a blank title', { title: ' \u00a0\ufeff ' }],
  ];
  for (const [what, body] of badAuctions) {
    test(`when an auction has ${what}, then 400 VALIDATION and no auction is made`, async () => {
      const before = await call<{ items: AuctionJson[] }>(`${api.url}/v1/auctions?sellerId=${seller.id}&limit=100`);
      const answer = await call<ErrorJson>(`${api.url}/v1/auctions`, {
        token: seller.token,
        body: { title: 'Bad', startingPrice: 1000, endsAt: inSeconds(60), ...body },
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.code, 'VALIDATION');
      const after = await call<{ items: AuctionJson[] }>(`${api.url}/v1/auctions?sellerId=${seller.id}&limit=100`);
      assert.equal(after.body.items.length, before.body.items.length);
    });
  }

  test('when a cancel reason has U+0000, then 400 VALIDATION and the auction goes on', async () => {
    // The workflow writes the reason to Postgres later: it must never reach an activity that cannot.
    const mine = await createAuction();
    const answer = await call<ErrorJson>(`${api.url}/v1/auctions/${mine.id}/cancel`, {
      token: seller.token,
      body: { reason: 'gone\u0000' },
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, 'VALIDATION');
    assert.equal((await auctionNow(mine.id)).status, 'open');
  });

  test('when a listing cursor is forged, then 400 INVALID_CURSOR', async () => {
    const answer = await call<ErrorJson>(
      `${api.url}/v1/auctions?cursor=${Buffer.from('{"x":1}').toString('base64url')}`,
    );
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, 'INVALID_CURSOR');
  });
});

/** One sample of /metrics, by its name and labels as written (`gavel_bids_total{decision="accepted",code=""}`). */
async function metric(sample: string): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}

test('when bids are answered and a page watches, then /metrics counts them by decision and code, and the live streams', async () => {
  const accepted = 'gavel_bids_total{decision="accepted",code=""}';
  const replayed = 'gavel_bids_total{decision="replayed",code=""}';
  const tooLow = 'gavel_bids_total{decision="refused",code="BID_TOO_LOW"}';
  const byOwnSeller = 'gavel_bids_total{decision="refused",code="SELLER_CANNOT_BID"}';
  const before = {
    accepted: await metric(accepted),
    replayed: await metric(replayed),
    tooLow: await metric(tooLow),
    byOwnSeller: await metric(byOwnSeller),
  };
  const auction = await createAuction();
  assert.equal((await bid(auction.id, { amount: 1000 }, bidder.token, { 'Idempotency-Key': 'metrics-1' })).status, 201);
  assert.equal((await bid(auction.id, { amount: 1000 }, bidder.token, { 'Idempotency-Key': 'metrics-1' })).status, 201);
  const rival = await signUp(api.url, 'rival');
  assert.equal((await bid(auction.id, { amount: 1000 }, rival.token)).status, 409);
  assert.equal((await bid(auction.id, { amount: 5000 }, seller.token)).status, 403);
  assert.equal(await metric(accepted), before.accepted + 1);
  assert.equal(await metric(replayed), before.replayed + 1);
  assert.equal(await metric(tooLow), before.tooLow + 1);
  assert.equal(await metric(byOwnSeller), before.byOwnSeller + 1);

  const streamsBefore = await metric('gavel_sse_streams');
  const watcher = watchEvents(`${api.url}/v1/auctions/${auction.id}/events`);
  try {
    for (let attempt = 0; (await metric('gavel_sse_streams')) !== streamsBefore + 1; attempt++) {
      assert.ok(attempt < 100, 'the stream is counted');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await watcher.close();
  }
});
