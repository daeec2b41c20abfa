/**
 * Auction images over real HTTP, into the test stack's real MinIO (a bucket of this file's own), with
 * images made as bytes here: each allowed type stored and served back byte for byte; disguised,
 * oversize and malformed uploads refused with nothing stored; only the seller may add or remove; the
 * per-seller upload limit; keys nobody can guess; deleting removes the object.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { EXE, GIF, HTML, makeJpeg, makePng, makeWebp, SVG } from './helpers/images.js';
import { createTestBucket, type TestBucket } from './helpers/s3.js';

/** Small, so oversize uploads stay small too. */
const MAX_BYTES = 64 * 1024;
const PER_AUCTION = 3;

interface ImageJson {
  id: string;
  url: string;
  contentType: string;
  bytes: number;
  width: number;
  height: number;
}
interface ErrorBody {
  error: { code: string; message: string; maxBytes?: number; maxImages?: number; retryAfterSeconds?: number };
}
type Seller = { id: string; token: string };

let database: TestDatabase;
let bucket: TestBucket;
let uploadDir: string;
let api: TestApi;
let seller: Seller;
let other: Seller;

before(async () => {
  database = await createTestDatabase();
  bucket = await createTestBucket();
  uploadDir = mkdtempSync(join(tmpdir(), 'gavel-images-test-'));
  api = await startTestApi({
    DATABASE_URL: database.url,
    // No worker: nothing here needs an auction's workflow to run.
    TEMPORAL_TASK_QUEUE: `images-${randomUUID()}`,
    ...bucket.env,
    IMAGE_MAX_BYTES: String(MAX_BYTES),
    IMAGES_PER_AUCTION: String(PER_AUCTION),
    IMAGE_UPLOAD_DIR: uploadDir,
  });
  seller = await signUp(api.url, 'seller');
  other = await signUp(api.url, 'other');
});
after(async () => {
  await api.close();
  await bucket.drop();
  await database.drop();
  rmSync(uploadDir, { recursive: true, force: true });
});

async function createAuction(base = api.url, token = seller.token): Promise<AuctionJson> {
  const endsAt = new Date(Date.now() + 3600_000).toISOString();
  const answer = await call<AuctionJson>(`${base}/v1/auctions`, {
    token,
    body: { title: 'A lot with pictures', startingPrice: 1000, endsAt },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

interface Sent {
  status: number;
  body: ImageJson & ErrorBody;
  headers: Headers;
}

async function answerOf(response: Response): Promise<Sent> {
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Sent['body'], headers: response.headers };
}

/** A browser-style form upload: the bytes in the `file` part, under whatever name and type the client claims. */
function upload(
  auctionId: string,
  bytes: Buffer,
  { filename = 'photo.jpg', type = 'image/jpeg', token = seller.token, base = api.url, field = 'file' } = {},
): Promise<Sent> {
  const form = new FormData();
  form.append(field, new Blob([bytes], { type }), filename);
  return fetch(`${base}/v1/auctions/${auctionId}/images`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  }).then(answerOf);
}

/** The same form, framed by hand: sent as a stream of unknown length (chunked), or with a chosen Content-Type. */
function multipart(bytes: Buffer, boundary = `----gavel${randomUUID()}`) {
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.png"\r\nContent-Type: image/png\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    /** The framing before the file's bytes. */
    prefix: Buffer.from(head),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

function postRaw(auctionId: string, body: Buffer | ReadableStream<Uint8Array>, contentType: string): Promise<Sent> {
  return fetch(`${api.url}/v1/auctions/${auctionId}/images`, {
    method: 'POST',
    headers: { authorization: `Bearer ${seller.token}`, 'content-type': contentType },
    body,
    duplex: 'half',
  }).then(answerOf);
}

/** A body with no declared length, sent in chunks: the size is known only as it streams. */
function chunked(body: Buffer, chunkBytes = 8192): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= body.length) return controller.close();
      controller.enqueue(body.subarray(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

/**
 * Sends `head`, then filler, until the API answers (or `maxBytes` are sent, then ends the body): how
 * much went out before the answer shows whether the API waited for the whole body. With `declared`,
 * the body claims that length up front; without, it is chunked (its length unknown).
 */
function sendUntilAnswered(
  auctionId: string,
  contentType: string,
  head: Buffer,
  { maxBytes, declared }: { maxBytes: number; declared?: number },
): Promise<{ status: number; body: ErrorBody; sent: number; endedFirst: boolean }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {
      authorization: `Bearer ${seller.token}`,
      'content-type': contentType,
      ...(declared !== undefined && { 'content-length': declared }),
    };
    const req = http.request(`${api.url}/v1/auctions/${auctionId}/images`, { method: 'POST', headers });
    const filler = Buffer.alloc(16 * 1024, 0x41);
    let sent = 0;
    let answered = false;
    let endedFirst = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as ErrorBody, sent, endedFirst });
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < maxBytes) {
        const chunk = sent === 0 ? head : filler;
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) {
        endedFirst = true;
        req.end();
      }
    };
    pump();
  });
}

const imagesOf = async (auctionId: string) =>
  (await call<AuctionJson & { images: ImageJson[] }>(`${api.url}/v1/auctions/${auctionId}`)).body.images;

/** Every upload, whatever its fate, leaves nothing behind on the API's disk. */
const assertUploadDirEmpty = () => assert.deepEqual(readdirSync(uploadDir), []);

describe('uploading', () => {
  const cases = [
    { type: 'image/png', make: makePng },
    { type: 'image/jpeg', make: makeJpeg },
    { type: 'image/webp', make: makeWebp },
  ] as const;

  test('when the seller uploads a PNG, a JPEG and a WebP, then each is served back at its URL byte for byte', async () => {
    const auction = await createAuction();
    const stored: ImageJson[] = [];
    for (const [i, { type, make }] of cases.entries()) {
      const bytes = make(24 + i, 16 + i);
      const answer = await upload(auction.id, bytes, { type });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      assert.deepEqual(
        { ...answer.body, id: undefined, url: undefined },
        { id: undefined, url: undefined, contentType: type, bytes: bytes.length, width: 24 + i, height: 16 + i },
      );
      const served = await fetch(answer.body.url);
      assert.equal(served.status, 200);
      assert.equal(served.headers.get('content-type'), type);
      assert.match(served.headers.get('cache-control') ?? '', /immutable/);
      assert.ok(Buffer.from(await served.arrayBuffer()).equals(bytes), `${type}: the same bytes`);
      stored.push(answer.body);
      assertUploadDirEmpty();
    }
    assert.deepEqual(await imagesOf(auction.id), stored, 'the auction lists them, oldest first');
    assert.equal((await bucket.keys()).length >= 3, true);
  });

  test('when a PNG comes named photo.jpg as image/jpeg, then it is stored as the PNG it is', async () => {
    const auction = await createAuction();
    const answer = await upload(auction.id, makePng(8, 8), { filename: 'photo.jpg', type: 'image/jpeg' });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.contentType, 'image/png');
    assert.match(answer.body.url, /\.png$/);
    assert.equal((await fetch(answer.body.url)).headers.get('content-type'), 'image/png');
  });

  test('when an auction has as many images as it may, then one more is 409 TOO_MANY_IMAGES', async () => {
    const auction = await createAuction();
    for (let i = 0; i < PER_AUCTION; i++) assert.equal((await upload(auction.id, makeWebp(4, 4))).status, 201);
    const before = await bucket.keys();
    const answer = await upload(auction.id, makeWebp(4, 4));
    assert.equal(answer.status, 409);
    assert.equal(answer.body.error.code, 'TOO_MANY_IMAGES');
    assert.equal(answer.body.error.maxImages, PER_AUCTION);
    assert.deepEqual(await bucket.keys(), before);
  });

  test('when uploads race for the last places, then exactly the cap is kept and the losers leave no object', async () => {
    const auction = await createAuction();
    const before = await bucket.keys();
    const answers = await Promise.all(Array.from({ length: PER_AUCTION + 2 }, () => upload(auction.id, makePng(6, 6))));
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [...Array<number>(PER_AUCTION).fill(201), 409, 409]);
    assert.equal((await imagesOf(auction.id)).length, PER_AUCTION);
    assert.equal((await bucket.keys()).length, before.length + PER_AUCTION);
    assertUploadDirEmpty();
  });
});

describe('refusing what is not an image', () => {
  const disguises = [
    { what: 'HTML as image/png', bytes: HTML, filename: 'cat.png', type: 'image/png' },
    { what: 'SVG (with a script) as image/svg+xml', bytes: SVG, filename: 'cat.svg', type: 'image/svg+xml' },
    { what: 'SVG as image/png', bytes: SVG, filename: 'cat.png', type: 'image/png' },
    { what: 'an executable as image/jpeg', bytes: EXE, filename: 'cat.jpg', type: 'image/jpeg' },
    { what: 'a GIF (an image, not an accepted one)', bytes: GIF, filename: 'cat.gif', type: 'image/gif' },
    { what: 'an empty file', bytes: Buffer.alloc(0), filename: 'cat.png', type: 'image/png' },
    {
      what: 'a PNG signature followed by garbage',
      bytes: Buffer.concat([makePng(4, 4).subarray(0, 8), Buffer.alloc(64, 0x41)]),
      filename: 'cat.png',
      type: 'image/png',
    },
    {
      what: 'a JPEG start with no frame header',
      bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xd9]),
      filename: 'cat.jpg',
      type: 'image/jpeg',
    },
  ];

  for (const { what, bytes, filename, type } of disguises) {
    test(`when ${what} is uploaded, then it is 415 UNSUPPORTED_IMAGE_TYPE and nothing is stored`, async () => {
      const auction = await createAuction();
      const before = await bucket.keys();
      const answer = await upload(auction.id, bytes, { filename, type });
      assert.equal(answer.status, 415, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, 'UNSUPPORTED_IMAGE_TYPE');
      assert.deepEqual(await bucket.keys(), before);
      assert.deepEqual(await imagesOf(auction.id), []);
      assertUploadDirEmpty();
    });
  }

  test('when an endless executable streams in, then it is refused after its first bytes', async () => {
    const auction = await createAuction();
    const { prefix, contentType } = multipart(EXE);
    const head = Buffer.concat([prefix, EXE]); // then endless filler
    const answer = await sendUntilAnswered(auction.id, contentType, head, { maxBytes: 64 * 1024 * 1024 });
    assert.equal(answer.status, 415);
    assert.equal(answer.body.error.code, 'UNSUPPORTED_IMAGE_TYPE');
    assert.equal(answer.endedFirst, false, `answered while the body was still coming (${answer.sent} bytes out)`);
    assertUploadDirEmpty();
  });

  test('when the body is JSON, or a form with no file part, or framing gone wrong, then it is a 4xx in the error shape', async () => {
    const auction = await createAuction();
    const json = await postRaw(auction.id, Buffer.from('{"file":"x"}'), 'application/json');
    assert.equal(json.status, 415);
    assert.equal(json.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');

    const wrongField = await upload(auction.id, makePng(4, 4), { field: 'picture' });
    assert.equal(wrongField.status, 400);
    assert.equal(wrongField.body.error.code, 'MALFORMED_MULTIPART');

    for (const type of ['multipart/form-data; charset=utf-8', 'multipart/form-data']) {
      const noBoundary = await postRaw(auction.id, Buffer.from('hello'), type);
      assert.equal(noBoundary.status, 400, type);
      assert.equal(noBoundary.body.error.code, 'MALFORMED_MULTIPART');
    }

    const garbage = await postRaw(
      auction.id,
      Buffer.from('not multipart at all'),
      multipart(Buffer.alloc(0)).contentType,
    );
    assert.equal(garbage.status, 400);
    assert.equal(garbage.body.error.code, 'MALFORMED_MULTIPART');
    assert.deepEqual(await imagesOf(auction.id), []);
    assertUploadDirEmpty();
  });

  test('when a form breaks off inside a part, or its part headers are garbage, then it is 400 and the API carries on', async () => {
    const auction = await createAuction();
    const boundary = 'cut';
    const contentType = `multipart/form-data; boundary=${boundary}`;
    const bodies = [
      // A part the API skips (not named "file"), cut off: the parser fails it, then the whole form.
      `--${boundary}\r\nContent-Disposition: form-data; name="other"; filename="a.txt"\r\n\r\nabc`,
      // The image part, cut off before its end.
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG`,
      `--${boundary}\r\n\u0000\u0001 not a header\r\n\r\n--${boundary}--\r\n`,
    ];
    for (const body of bodies) {
      const answer = await postRaw(auction.id, Buffer.from(body, 'latin1'), contentType);
      assert.equal(answer.status, 400, body);
      assert.equal(answer.body.error.code, 'MALFORMED_MULTIPART');
    }
    assert.equal((await upload(auction.id, makePng(4, 4))).status, 201, 'still serving uploads');
    assertUploadDirEmpty();
  });
});

describe('size', () => {
  test('when the declared length is over the cap, then it is 413 before anything is read, and nothing is stored', async () => {
    const auction = await createAuction();
    const before = await bucket.keys();
    const answer = await upload(auction.id, makePng(4, 4, MAX_BYTES * 2), { type: 'image/png' });
    assert.equal(answer.status, 413, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, 'IMAGE_TOO_LARGE');
    assert.equal(answer.body.error.maxBytes, MAX_BYTES);
    assert.equal(answer.headers.get('connection'), 'close');
    assert.deepEqual(await bucket.keys(), before);
    assertUploadDirEmpty();
  });

  test('when a body of unknown length streams past the cap, then it is 413 as it passes, and nothing is stored', async () => {
    const auction = await createAuction();
    const before = await bucket.keys();
    const { body, contentType } = multipart(makePng(4, 4, MAX_BYTES + 1024));
    const answer = await postRaw(auction.id, chunked(body), contentType);
    assert.equal(answer.status, 413, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, 'IMAGE_TOO_LARGE');
    assert.deepEqual(await bucket.keys(), before);
    assert.deepEqual(await imagesOf(auction.id), []);
    assertUploadDirEmpty();
  });

  test('when an upload declares 100 MiB, then it is refused without waiting for the body', async () => {
    const auction = await createAuction();
    const { prefix, contentType } = multipart(makePng(4, 4));
    const answer = await sendUntilAnswered(auction.id, contentType, prefix, {
      maxBytes: 32 * 1024 * 1024,
      declared: 100 * 1024 * 1024,
    });
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'IMAGE_TOO_LARGE');
    assert.equal(answer.endedFirst, false, `answered before the body was sent (${answer.sent} bytes out)`);
    assertUploadDirEmpty();
  });

  test('when an endless body streams in, then it is refused once it passes the cap, long before its end', async () => {
    const auction = await createAuction();
    const png = makePng(4, 4, MAX_BYTES);
    const { prefix, contentType } = multipart(png);
    const head = Buffer.concat([prefix, png.subarray(0, 64)]); // the PNG's signature and header, then endless filler
    const answer = await sendUntilAnswered(auction.id, contentType, head, { maxBytes: 64 * 1024 * 1024 });
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'IMAGE_TOO_LARGE');
    assert.equal(answer.endedFirst, false, `answered while the body was still coming (${answer.sent} bytes out)`);
    assert.deepEqual(await imagesOf(auction.id), []);
    assertUploadDirEmpty();
  });

  test('when an image is exactly at the cap, then it is stored', async () => {
    const auction = await createAuction();
    const small = makePng(4, 4);
    // The private chunk's 12 bytes of framing come on top of its data.
    const bytes = makePng(4, 4, MAX_BYTES - small.length - 12);
    assert.equal(bytes.length, MAX_BYTES);
    const { body, contentType } = multipart(bytes);
    const answer = await postRaw(auction.id, chunked(body), contentType);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.bytes, MAX_BYTES);
  });
});

describe('who may', () => {
  test('when someone else uploads to an auction, then it is 403 NOT_SELLER and nothing is stored', async () => {
    const auction = await createAuction();
    const before = await bucket.keys();
    const answer = await upload(auction.id, makePng(4, 4), { token: other.token });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'NOT_SELLER');
    assert.deepEqual(await bucket.keys(), before);
  });

  test('when nobody is signed in, or the auction does not exist, then it is 401 or 404', async () => {
    const auction = await createAuction();
    const anonymous = await fetch(`${api.url}/v1/auctions/${auction.id}/images`, {
      method: 'POST',
      body: new FormData(),
    }).then(answerOf);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, 'UNAUTHENTICATED');
    const missing = await upload(randomUUID(), makePng(4, 4));
    assert.equal(missing.status, 404);
    assert.equal((await upload('not-an-id', makePng(4, 4))).status, 404);
  });

  test('when the auction is cancelled, then an upload is 409 AUCTION_CLOSED', async () => {
    const auction = await createAuction();
    const cancel = await call(`${api.url}/v1/auctions/${auction.id}/cancel`, {
      token: seller.token,
      body: { reason: 'withdrawn' },
    });
    assert.equal(cancel.status, 200);
    const answer = await upload(auction.id, makePng(4, 4));
    assert.equal(answer.status, 409);
    assert.equal(answer.body.error.code, 'AUCTION_CLOSED');
  });
});

describe('keys', () => {
  test('when images are stored, then their keys are 128 random bits, naming neither the auction nor the file', async () => {
    const auction = await createAuction();
    const keys: string[] = [];
    for (let i = 0; i < PER_AUCTION; i++) {
      const answer = await upload(auction.id, makeJpeg(8, 8), { filename: 'secret-name.jpg' });
      assert.equal(answer.status, 201);
      const prefix = `${bucket.env.S3_PUBLIC_BASE_URL}/`;
      assert.ok(answer.body.url.startsWith(prefix), answer.body.url);
      keys.push(answer.body.url.slice(prefix.length));
    }
    for (const key of keys) {
      const [, random] = /^images\/([A-Za-z0-9_-]{22})\.jpg$/.exec(key) ?? [];
      assert.ok(random, `${key}: images/<22 base64url characters>.jpg`);
      assert.equal(Buffer.from(random, 'base64url').length, 16, '128 bits');
      assert.ok(!key.includes(auction.id) && !key.includes('secret'), key);
    }
    assert.equal(new Set(keys).size, keys.length);
    // Random bits: across the keys, about half of all bits are set (3 × 128 bits; far from 0 or all).
    const ones = keys
      .flatMap((key) => [...Buffer.from(key.slice(7, 29), 'base64url')])
      .reduce((sum, byte) => sum + byte.toString(2).replaceAll('0', '').length, 0);
    assert.ok(ones > 120 && ones < 264, `${ones} of 384 bits set`);
  });

  test('when anyone asks the bucket for its list of keys, then it refuses', async () => {
    const listing = await fetch(`${bucket.endpoint}/${bucket.name}?list-type=2`);
    assert.equal(listing.status, 403);
    assert.doesNotMatch(await listing.text(), /images\//);
  });
});

describe('deleting', () => {
  test('when the seller deletes an image, then its object is gone, its URL stops serving, and it is no longer listed', async () => {
    const auction = await createAuction();
    const kept = (await upload(auction.id, makePng(5, 5))).body;
    const doomed = (await upload(auction.id, makeWebp(5, 5))).body;
    const key = doomed.url.slice(`${bucket.env.S3_PUBLIC_BASE_URL}/`.length);
    assert.ok((await bucket.keys()).includes(key));

    const url = `${api.url}/v1/auctions/${auction.id}/images/${doomed.id}`;
    const refused = await call<ErrorBody>(url, { method: 'DELETE', token: other.token });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'NOT_SELLER');
    assert.equal((await fetch(doomed.url)).status, 200, 'still served after a refused delete');

    const deleted = await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${seller.token}` } });
    assert.equal(deleted.status, 204);
    assert.ok(!(await bucket.keys()).includes(key), 'the object is gone from the bucket');
    assert.equal((await fetch(doomed.url)).status, 404);
    assert.deepEqual(await imagesOf(auction.id), [kept]);

    const again = await call<ErrorBody>(url, { method: 'DELETE', token: seller.token });
    assert.equal(again.status, 404);
    const elsewhere = await createAuction();
    const wrongAuction = `${api.url}/v1/auctions/${elsewhere.id}/images/${kept.id}`;
    assert.equal((await call(wrongAuction, { method: 'DELETE', token: seller.token })).status, 404);
  });
});

describe('the upload limit', () => {
  test('when a seller uploads more than the default 2 an hour, then it is 429 with Retry-After, for that seller only', async () => {
    // The default (the test stack raises it for every other test): an empty value means unset.
    const limited = await startTestApi({
      DATABASE_URL: database.url,
      TEMPORAL_TASK_QUEUE: `images-${randomUUID()}`,
      ...bucket.env,
      IMAGE_UPLOADS_PER_USER: '',
    });
    try {
      const busy = await signUp(limited.url, 'busy');
      const auction = await createAuction(limited.url, busy.token);
      for (let i = 0; i < 2; i++) {
        assert.equal((await upload(auction.id, makePng(4, 4), { token: busy.token, base: limited.url })).status, 201);
      }
      const before = await bucket.keys();
      const third = await upload(auction.id, makePng(4, 4), { token: busy.token, base: limited.url });
      assert.equal(third.status, 429);
      assert.equal(third.body.error.code, 'RATE_LIMITED');
      const retryAfter = Number(third.headers.get('retry-after'));
      assert.ok(retryAfter > 3500 && retryAfter <= 3600, `Retry-After: ${retryAfter}`);
      assert.equal(third.body.error.retryAfterSeconds, retryAfter);
      assert.deepEqual(await bucket.keys(), before);

      const fresh = await signUp(limited.url, 'fresh');
      const theirs = await createAuction(limited.url, fresh.token);
      assert.equal((await upload(theirs.id, makePng(4, 4), { token: fresh.token, base: limited.url })).status, 201);
    } finally {
      await limited.close();
    }
  });
});

describe('when the store is down', () => {
  test('when S3 cannot be reached, then an upload is 503 UNAVAILABLE with Retry-After and nothing is recorded', async () => {
    const down = await startTestApi({
      DATABASE_URL: database.url,
      TEMPORAL_TASK_QUEUE: `images-${randomUUID()}`,
      ...bucket.env,
      // Nothing listens on port 9 (discard) here: the connection is refused at once.
      S3_ENDPOINT: 'http://127.0.0.1:9',
    });
    try {
      const someone = await signUp(down.url, 'someone'); // tokens are each API's own here (no shared key)
      const auction = await createAuction(down.url, someone.token);
      const answer = await upload(auction.id, makePng(4, 4), { base: down.url, token: someone.token });
      assert.equal(answer.status, 503, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, 'UNAVAILABLE');
      assert.ok(Number(answer.headers.get('retry-after')) >= 1);
      assert.deepEqual(await imagesOf(auction.id), []);
      assert.equal((await fetch(`${down.url}/readyz`)).status, 200, 'the rest of the API stays ready');
    } finally {
      await down.close();
    }
  });
});
