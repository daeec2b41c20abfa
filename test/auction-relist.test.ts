/**
 * Relisting on the real stack (API, worker, Temporal, Postgres, Redis, MinIO in a bucket of this
 * file's own): a lot that closed unsold, with its reserve not met, or sold and left unpaid comes back as
 * a new auction with the same lot, rules and images (copied to keys of its own, served like any other)
 * and new dates, linked both ways; once only, even when asked twice at once. Refused while the auction
 * runs, once it is cancelled, while an order or offer is live, once paid; only by its seller.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { count, eq } from 'drizzle-orm';
import { auctionImages, auctions } from '../db/schema.js';
import type { SettlementState } from '../domain/settlement/workflow.js';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import { markOrderPaidSignal } from '../workflows/settlement/definitions.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson, type ErrorJson } from './helpers/http.js';
import { makeJpeg, makePng, makeWebp } from './helpers/images.js';
import { createTestBucket, type TestBucket } from './helpers/s3.js';
import {
  orderAs,
  phaseOf as phaseIn,
  settlementOf as settlementIn,
  soldAuction,
  until,
  type OfferJson,
  type SaleTerms,
  type User,
} from './helpers/settlement.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

interface ImageJson {
  id: string;
  url: string;
  contentType: string;
  bytes: number;
  width: number;
  height: number;
}
type DetailJson = AuctionJson & { images: ImageJson[]; relistedAs: string | null; relistedFrom: string | null };
type RefusalJson = ErrorJson & { error: { reason?: string; relistedAs?: string } };

let database: TestDatabase;
let bucket: TestBucket;
let worker: TestWorker;
let api: TestApi;
let seller: User;
let ann: User;
let ben: User;
before(async () => {
  database = await createTestDatabase();
  bucket = await createTestBucket();
  const settlement = { SETTLEMENT_MIN_WINDOW_SECONDS: '1' };
  worker = await startTestWorker(database.db, settlement);
  api = await startTestApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: worker.taskQueue,
    ...bucket.env,
    ...settlement,
  });
  seller = await signUp(api.url, 'seller');
  ann = await signUp(api.url, 'ann');
  ben = await signUp(api.url, 'ben');
});
after(async () => {
  await api.close();
  await worker.stop();
  await bucket.drop();
  await database.drop();
});

const HOUR = 3600_000;
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

async function createAuction(body: Record<string, unknown>): Promise<AuctionJson> {
  const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'A brass ship’s clock', startingPrice: 1000, ...body },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

async function upload(auctionId: string, bytes: Buffer): Promise<ImageJson> {
  const form = new FormData();
  form.append('file', new Blob([bytes]), 'photo');
  const response = await fetch(`${api.url}/v1/auctions/${auctionId}/images`, {
    method: 'POST',
    headers: { authorization: `Bearer ${seller.token}` },
    body: form,
  });
  const body = (await response.json()) as ImageJson;
  assert.equal(response.status, 201, JSON.stringify(body));
  return body;
}

/** Resolves once the workflow has written the close: the row, as Postgres holds it. */
const closedRow = (auctionId: string) =>
  until(
    'the close',
    async () => {
      const [row] = await database.db.select().from(auctions).where(eq(auctions.id, auctionId));
      return row?.status === 'closed' ? row : undefined;
    },
    30_000,
  );

/** An auction that ends in a couple of seconds, its images uploaded first: closed unsold when nobody bids. */
async function endedAuction(body: Record<string, unknown> = {}, images: Buffer[] = []) {
  const created = await createAuction({ endsAt: inMs(2500), ...body });
  for (const bytes of images) await upload(created.id, bytes);
  return { created, row: await closedRow(created.id) };
}

const relist = (auctionId: string, body: unknown, token = seller.token) =>
  call<AuctionJson & RefusalJson>(`${api.url}/v1/auctions/${auctionId}/relist`, { token, body });

const detail = async (auctionId: string) => {
  const got = await call<DetailJson>(`${api.url}/v1/auctions/${auctionId}`);
  assert.equal(got.status, 200, JSON.stringify(got.body));
  return got.body;
};

const relistsOf = async (auctionId: string) =>
  (await database.db.select({ n: count() }).from(auctions).where(eq(auctions.relistedFrom, auctionId)))[0]!.n;

const rowOf = async (auctionId: string) =>
  (await database.db.select().from(auctions).where(eq(auctions.id, auctionId)))[0]!;

/** The key an image URL names in the bucket. */
const keyOf = (url: string) => url.slice(`${bucket.env.S3_PUBLIC_BASE_URL}/`.length);

describe('a lot that did not sell', () => {
  test('when an unsold auction is relisted, then a new auction has its lot, rules and images (new keys, served) and the new dates, linked both ways', async () => {
    const pictures = [makePng(40, 30), makeJpeg(32, 16), makeWebp(20, 10)];
    const { created, row } = await endedAuction(
      {
        title: 'A brass ship’s clock, 1890',
        description: 'Chelsea Clock Co., eight-day movement.',
        category: 'antiques',
        currency: 'EUR',
        startingPrice: 1500,
        reservePrice: 4000,
        buyNowPrice: 9000,
        softClose: { windowSeconds: 60, extendSeconds: 30 },
        paymentWindowSeconds: 7200,
        buyersPremiumBps: 750,
        autoSecondChance: true,
      },
      pictures,
    );
    assert.equal(row.outcome, 'unsold');
    const before = await detail(created.id);
    assert.deepEqual(
      before.images.map((image) => image.contentType),
      ['image/png', 'image/jpeg', 'image/webp'],
    );

    const startsAt = new Date(Date.now() + HOUR);
    const endsAt = new Date(Date.now() + 26 * HOUR);
    const answer = await relist(created.id, { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const relisted = answer.body;
    assert.notEqual(relisted.id, created.id);
    // The answer has the shape of a created auction's, and the same lot and rules.
    const lotAndRules = (auction: AuctionJson) => ({
      sellerId: auction.sellerId,
      title: auction.title,
      description: auction.description,
      category: auction.category,
      currency: auction.currency,
      startingPrice: auction.startingPrice,
      paymentWindowSeconds: auction.paymentWindowSeconds,
      buyersPremiumBps: auction.buyersPremiumBps,
      autoSecondChance: auction.autoSecondChance,
    });
    assert.deepEqual(lotAndRules(relisted), lotAndRules(created));
    assert.deepEqual(Object.keys(relisted).sort(), Object.keys(created).sort());
    assert.equal(relisted.buyNowPrice, 9000);
    assert.equal(relisted.status, 'scheduled');
    assert.equal(relisted.result, null);
    assert.equal(relisted.bidCount, 0);
    assert.equal(relisted.startsAt, startsAt.toISOString());
    assert.equal(relisted.endsAt, endsAt.toISOString());
    // What the public never sees, as the rows hold it.
    const newRow = await rowOf(relisted.id);
    const hidden = (r: typeof newRow) => ({
      reservePrice: r.reservePrice,
      softCloseWindowSeconds: r.softCloseWindowSeconds,
      softCloseExtendSeconds: r.softCloseExtendSeconds,
    });
    assert.deepEqual(hidden(newRow), hidden(row));
    assert.deepEqual(hidden(newRow), { reservePrice: 4000, softCloseWindowSeconds: 60, softCloseExtendSeconds: 30 });
    assert.equal(newRow.relistedFrom, created.id);
    assert.equal(newRow.relistedAs, null);
    assert.equal((await rowOf(created.id)).relistedAs, relisted.id);

    // Its own workflow runs it, as a created auction's does.
    const run = await worker.client.workflow.getHandle(auctionWorkflowId(relisted.id)).describe();
    assert.equal(run.status.name, 'RUNNING');

    // The images: the same, in the same order, under keys of their own, each served as the original is.
    const page = await detail(relisted.id);
    assert.equal(page.relistedFrom, created.id);
    assert.equal(page.relistedAs, null);
    const shape = ({ contentType, bytes, width, height }: ImageJson) => ({ contentType, bytes, width, height });
    assert.deepEqual(page.images.map(shape), before.images.map(shape));
    const originalKeys = new Set(before.images.map((image) => keyOf(image.url)));
    for (const [i, image] of page.images.entries()) {
      assert.ok(!originalKeys.has(keyOf(image.url)), `copy ${i} has a key of its own`);
      assert.notEqual(image.id, before.images[i]!.id);
      const served = await fetch(image.url);
      assert.equal(served.status, 200, image.url);
      assert.equal(served.headers.get('content-type'), image.contentType);
      assert.match(served.headers.get('cache-control') ?? '', /immutable/);
      assert.deepEqual(Buffer.from(await served.arrayBuffer()), pictures[i]);
    }
    const originalPage = await detail(created.id);
    assert.equal(originalPage.relistedAs, relisted.id);
    assert.deepEqual(originalPage.images, before.images, 'the original keeps its images');

    // Keys are not shared: deleting the relist's cover leaves the original's served.
    const cover = page.images[0]!;
    const deleted = await fetch(`${api.url}/v1/auctions/${relisted.id}/images/${cover.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${seller.token}` },
    });
    assert.equal(deleted.status, 204);
    assert.equal((await fetch(cover.url)).status, 404);
    assert.equal((await fetch(before.images[0]!.url)).status, 200);

    // Once only.
    const again = await relist(created.id, { endsAt: inMs(HOUR) });
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.equal(again.body.error.code, 'ALREADY_RELISTED');
    assert.equal(again.body.error.relistedAs, relisted.id);
    assert.equal(await relistsOf(created.id), 1);
  });

  test('when an auction closed with its reserve not met is relisted without a start, then the new one is open now', async () => {
    const created = await createAuction({ endsAt: inMs(2500), reservePrice: 5000 });
    const bid = await call(`${api.url}/v1/auctions/${created.id}/bids`, { token: ann.token, body: { amount: 1200 } });
    assert.equal(bid.status, 201, JSON.stringify(bid.body));
    const row = await closedRow(created.id);
    assert.equal(row.outcome, 'reserve_not_met');

    const answer = await relist(created.id, { endsAt: inMs(2 * HOUR) });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.status, 'open');
    assert.ok(Math.abs(Date.parse(answer.body.startsAt) - Date.now()) < 60_000, answer.body.startsAt);
    assert.equal(answer.body.bidCount, 0, 'the bids stay with the original');
    assert.equal((await rowOf(answer.body.id)).reservePrice, 5000);
    // Open to bids: the new auction's bidding state is live.
    const newBid = await call(`${api.url}/v1/auctions/${answer.body.id}/bids`, {
      token: ann.token,
      body: { amount: 1000 },
    });
    assert.equal(newBid.status, 201, JSON.stringify(newBid.body));
  });

  test('when an image’s object is gone already (its delete caught half way), then the relist leaves that image out', async () => {
    const { created } = await endedAuction({}, [makePng(12, 12), makeJpeg(16, 8)]);
    const [dead, alive] = (await detail(created.id)).images;
    await bucket.removeObject(keyOf(dead!.url));
    const answer = await relist(created.id, { endsAt: inMs(HOUR) });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const images = (await detail(answer.body.id)).images;
    assert.deepEqual(
      images.map(({ contentType, width, height }) => ({ contentType, width, height })),
      [{ contentType: alive!.contentType, width: alive!.width, height: alive!.height }],
    );
    assert.equal((await fetch(images[0]!.url)).status, 200);
  });

  test('when relists of one auction arrive at once, then exactly one new auction exists and the others are told which', async () => {
    const { created } = await endedAuction({}, [makePng(8, 8), makeJpeg(8, 8)]);
    const keysBefore = await bucket.keys();
    // Several, so that some pass the first check together and meet at the row lock.
    const answers = await Promise.all(Array.from({ length: 6 }, () => relist(created.id, { endsAt: inMs(HOUR) })));
    assert.deepEqual(
      answers.map((a) => a.status).sort(),
      [201, 409, 409, 409, 409, 409],
      JSON.stringify(answers.map((a) => a.body)),
    );
    const made = answers.find((a) => a.status === 201)!.body;
    for (const refused of answers.filter((a) => a.status === 409)) {
      assert.equal(refused.body.error.code, 'ALREADY_RELISTED');
      assert.equal(refused.body.error.relistedAs, made.id);
    }
    assert.equal(await relistsOf(created.id), 1);
    assert.equal((await rowOf(created.id)).relistedAs, made.id);
    const copied = await database.db.select().from(auctionImages).where(eq(auctionImages.auctionId, made.id));
    assert.equal(copied.length, 2);
    // The losers' copies, where they made any, are gone: only the winner's two are new.
    const keysAfter = await bucket.keys();
    assert.deepEqual(
      keysAfter.filter((key) => !keysBefore.includes(key)).sort(),
      copied.map((image) => image.objectKey).sort(),
    );
  });
});

describe('refusals', () => {
  test('when the auction runs, is cancelled, is someone else’s or does not exist, then nothing is relisted', async () => {
    const open = await createAuction({ endsAt: inMs(HOUR) });
    const running = await relist(open.id, { endsAt: inMs(2 * HOUR) });
    assert.equal(running.status, 409, JSON.stringify(running.body));
    assert.equal(running.body.error.code, 'NOT_RELISTABLE');
    assert.equal(running.body.error.reason, 'not_ended');

    const notSeller = await relist(open.id, { endsAt: inMs(2 * HOUR) }, ann.token);
    assert.equal(notSeller.status, 403);
    assert.equal(notSeller.body.error.code, 'NOT_SELLER');
    assert.equal(
      (await call(`${api.url}/v1/auctions/${open.id}/relist`, { body: { endsAt: inMs(HOUR) } })).status,
      401,
    );
    for (const id of ['5f0c8a3e-2b1d-4c6e-9a7f-1e2d3c4b5a69', 'not-a-uuid']) {
      const unknown = await relist(id, { endsAt: inMs(HOUR) });
      assert.equal(unknown.status, 404, id);
      assert.equal(unknown.body.error.code, 'NOT_FOUND');
    }

    const cancel = await call(`${api.url}/v1/auctions/${open.id}/cancel`, {
      token: seller.token,
      body: { reason: 'withdrawn' },
    });
    assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
    await until('the cancel in Postgres', async () =>
      (await rowOf(open.id)).status === 'cancelled' ? true : undefined,
    );
    const cancelled = await relist(open.id, { endsAt: inMs(2 * HOUR) });
    assert.equal(cancelled.status, 409, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.error.reason, 'cancelled');
    assert.equal(await relistsOf(open.id), 0);
  });

  test('when the body is not valid, then 400 names the field and nothing changes', async () => {
    const { created } = await endedAuction({}, [makePng(8, 8)]);
    const keysBefore = await bucket.keys();
    const bodies: [unknown, string][] = [
      [{}, 'endsAt'],
      [{ endsAt: inMs(-1000) }, 'endsAt'],
      [{ endsAt: 'tomorrow' }, 'endsAt'],
      [{ startsAt: inMs(3 * HOUR), endsAt: inMs(2 * HOUR) }, 'endsAt'],
      [{ endsAt: inMs(31 * 24 * HOUR) }, 'endsAt'],
      [{ endsAt: inMs(HOUR), startingPrice: 1 }, ''],
    ];
    for (const [body, field] of bodies) {
      const refused = await call<{ error: { code: string; issues: { path: string }[] } }>(
        `${api.url}/v1/auctions/${created.id}/relist`,
        { token: seller.token, body },
      );
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.error.code, 'VALIDATION');
      if (field)
        assert.ok(
          refused.body.error.issues.some((issue) => issue.path === field),
          JSON.stringify(refused.body),
        );
    }
    assert.equal((await rowOf(created.id)).relistedAs, null);
    assert.equal(await relistsOf(created.id), 0);
    assert.deepEqual(await bucket.keys(), keysBefore, 'no image was copied');
    // It was relistable all along.
    assert.equal((await relist(created.id, { endsAt: inMs(HOUR) })).status, 201);
  });
});

describe('a lot that sold', () => {
  const settlementOf = (auctionId: string) => settlementIn(worker.client, auctionId);
  const phaseOf = (auctionId: string) => phaseIn(worker.client, auctionId);
  const inPhase = (auctionId: string, phase: SettlementState['phase']) =>
    until(`the settlement ${phase}`, async () => ((await phaseOf(auctionId)) === phase ? true : undefined));
  /** ann's maximum 5,000 wins over ben's 3,000. */
  const sale = (terms: SaleTerms) =>
    soldAuction(
      { apiUrl: api.url, database, seller },
      [
        [ben, 3000],
        [ann, 5000],
      ],
      terms,
    );

  test('when the order awaits payment, then not; once it is paid, never', async () => {
    const { auctionId, orderId } = await sale({ paymentWindowSeconds: 3600, buyersPremiumBps: 0 });
    await inPhase(auctionId, 'awaiting_payment');
    const live = await relist(auctionId, { endsAt: inMs(HOUR) });
    assert.equal(live.status, 409, JSON.stringify(live.body));
    assert.equal(live.body.error.code, 'NOT_RELISTABLE');
    assert.equal(live.body.error.reason, 'order_live');

    await settlementOf(auctionId).signal(markOrderPaidSignal, { reason: 'paid by bank transfer' });
    await until('the order paid', async () =>
      (await orderAs(api.url, ann, orderId)).status === 'paid' ? true : undefined,
    );
    const paid = await relist(auctionId, { endsAt: inMs(HOUR) });
    assert.equal(paid.status, 409, JSON.stringify(paid.body));
    assert.equal(paid.body.error.reason, 'paid');
    assert.equal(await relistsOf(auctionId), 0);
  });

  test('when unpaid and the seller is deciding, then not while an offer is open; after it, the relist ends the settlement and no offer follows', async () => {
    const { auctionId, orderId } = await sale({ paymentWindowSeconds: 1, buyersPremiumBps: 500 });
    await inPhase(auctionId, 'awaiting_seller');
    assert.equal((await orderAs(api.url, seller, orderId)).status, 'expired');

    const offered = await call<OfferJson>(`${api.url}/v1/auctions/${auctionId}/second-chance`, {
      token: seller.token,
      body: { offerWindowSeconds: 3600 },
    });
    assert.equal(offered.status, 201, JSON.stringify(offered.body));
    const whileOffered = await relist(auctionId, { endsAt: inMs(HOUR) });
    assert.equal(whileOffered.status, 409, JSON.stringify(whileOffered.body));
    assert.equal(whileOffered.body.error.reason, 'offer_live');
    const declined = await call(`${api.url}/v1/offers/${offered.body.id}/decline`, {
      method: 'POST',
      token: ben.token,
    });
    assert.equal(declined.status, 200, JSON.stringify(declined.body));
    await inPhase(auctionId, 'awaiting_seller');

    const answer = await relist(auctionId, { endsAt: inMs(HOUR) });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.buyersPremiumBps, 500);
    assert.equal(answer.body.paymentWindowSeconds, 1);
    assert.equal((await rowOf(auctionId)).relistedAs, answer.body.id);
    const final = (await settlementOf(auctionId).result()) as SettlementState;
    assert.equal(final.phase, 'closed', 'the relist ended the settlement');
    const late = await call<ErrorJson>(`${api.url}/v1/auctions/${auctionId}/second-chance`, {
      token: seller.token,
      body: {},
    });
    assert.equal(late.status, 409, JSON.stringify(late.body));
  });

  test('when unpaid and the settlement is already over, then the orders in Postgres decide: relisted', async () => {
    // autoSecondChance with nobody to offer it to: the settlement closes by itself once the order expires.
    // A bidder of its own: ann's strikes from the tests before may block her bids by now.
    const dan = await signUp(api.url, 'dan');
    const { auctionId } = await soldAuction({ apiUrl: api.url, database, seller }, [[dan, 5000]], {
      paymentWindowSeconds: 1,
      buyersPremiumBps: 0,
      auto: true,
    });
    await until('the settlement’s start', async () => ((await phaseOf(auctionId)) ? true : undefined));
    const final = (await settlementOf(auctionId).result()) as SettlementState;
    assert.equal(final.phase, 'closed');
    const answer = await relist(auctionId, { endsAt: inMs(HOUR) });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal((await detail(auctionId)).relistedAs, answer.body.id);
  });
});
