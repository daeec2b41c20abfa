import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { pino } from 'pino';
import { MAX_BODY_BYTES } from '../api/app.js';
import { drain, listen, portOf } from '../api/server.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp } from './helpers/http.js';
import { testConfig } from './helpers/config.js';

interface ErrorShape {
  error: { code: string; message: string; down?: string[] };
}

const postRaw = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('with every dependency up', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  test('when /healthz is asked, then it answers 200', async () => {
    const response = await fetch(`${api.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  test('when /readyz is asked, then Postgres, Redis and Temporal are all up', async () => {
    const response = await fetch(`${api.url}/readyz`);
    const body = (await response.json()) as { status: string; checks: Record<string, { status: string }> };
    assert.equal(response.status, 200);
    assert.equal(body.status, 'ready');
    assert.deepEqual(Object.keys(body.checks).sort(), ['postgres', 'redis', 'temporal']);
    for (const check of Object.values(body.checks)) assert.equal(check.status, 'up');
  });

  test('when a route does not exist, then 404 in the error shape', async () => {
    const response = await fetch(`${api.url}/v1/nothing-here`);
    assert.equal(response.status, 404);
    const body = (await response.json()) as ErrorShape;
    assert.equal(body.error.code, 'NOT_FOUND');
    assert.match(body.error.message, /GET \/v1\/nothing-here/);
  });

  test('when a known path is asked with a method it does not serve, then 405 with Allow, in the error shape', async () => {
    const response = await fetch(`${api.url}/v1/auctions`, { method: 'DELETE' });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET, HEAD, POST');
    assert.equal(((await response.json()) as ErrorShape).error.code, 'METHOD_NOT_ALLOWED');
    const withId = await fetch(`${api.url}/v1/auctions/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}/bids`, {
      method: 'PUT',
    });
    assert.equal(withId.status, 405);
    assert.equal(withId.headers.get('allow'), 'GET, HEAD, POST');
  });

  test('when OPTIONS asks what a path serves, then Allow names the same methods a 405 does', async () => {
    const response = await fetch(`${api.url}/v1/users/me`, { method: 'OPTIONS' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('allow'), 'DELETE, GET, HEAD');
    const refused = await fetch(`${api.url}/v1/users/me`, { method: 'POST' });
    assert.equal(refused.status, 405);
    assert.equal(refused.headers.get('allow'), 'DELETE, GET, HEAD');
    // A path the hot path's router holds first (POST only): the answer still lists every method served.
    const bids = await fetch(`${api.url}/v1/auctions/${randomUUID()}/bids`, { method: 'OPTIONS' });
    assert.equal(bids.headers.get('allow'), 'GET, HEAD, POST');
  });

  for (const malformed of ['{"amount": ', '{amount: 5}', "{'a':1}", '[1,,2]']) {
    test(`when the body is malformed JSON (${malformed}), then 400 MALFORMED_JSON, not 500`, async () => {
      const response = await postRaw(`${api.url}/v1/auctions`, malformed);
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as ErrorShape).error.code, 'MALFORMED_JSON');
    });
  }

  test('when the body is larger than the cap, then 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await postRaw(`${api.url}/v1/auctions`, JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) }));
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as ErrorShape).error.code, 'PAYLOAD_TOO_LARGE');
  });

  test('when /metrics is scraped, then it shows request durations by route template', async () => {
    await fetch(`${api.url}/healthz`);
    const text = await (await fetch(`${api.url}/metrics`)).text();
    assert.match(text, /http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
    assert.match(text, /process_resident_memory_bytes/);
  });

  test('when shutdown begins, then /readyz turns 503 SHUTTING_DOWN', async () => {
    api.lifecycle.beginShutdown();
    const response = await fetch(`${api.url}/readyz`);
    assert.equal(response.status, 503);
    assert.equal(((await response.json()) as ErrorShape).error.code, 'SHUTTING_DOWN');
  });
});

describe('with a dependency down', () => {
  let api: TestApi;
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
    // Nothing listens on port 1: Redis (one server or a Cluster, as this run has) and Temporal are
    // unreachable, Postgres is up.
    const onCluster = testConfig().REDIS_CLUSTER_NODES !== undefined;
    api = await startTestApi({
      DATABASE_URL: database.url,
      REDIS_URL: 'redis://127.0.0.1:1',
      ...(onCluster && { REDIS_CLUSTER_NODES: '127.0.0.1:1' }),
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
  });
  after(async () => {
    await api.close();
    await database.drop();
  });

  test('when /readyz is asked, then 503 names what is down and only that', async () => {
    const response = await fetch(`${api.url}/readyz`);
    assert.equal(response.status, 503);
    const body = (await response.json()) as ErrorShape;
    assert.equal(body.error.code, 'NOT_READY');
    assert.deepEqual(body.error.down?.sort(), ['redis', 'temporal']);
    assert.match(body.error.message, /redis/);
  });

  test('when /healthz is asked, then the process still says it is alive', async () => {
    assert.equal((await fetch(`${api.url}/healthz`)).status, 200);
  });

  test('when a bid needs Redis, then 503 UNAVAILABLE with Retry-After, not a 500', async () => {
    const bidder = await signUp(api.url, 'bidder');
    const response = await fetch(`${api.url}/v1/auctions/${randomUUID()}/bids`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bidder.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 500 }),
    });
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '1');
    assert.equal(((await response.json()) as ErrorShape).error.code, 'UNAVAILABLE');
  });

  test('when an auction is created, then 503 and no auction is left half-made', async () => {
    const seller = await signUp(api.url, 'seller');
    const title = `unavailable ${randomUUID()}`;
    const created = await call(`${api.url}/v1/auctions`, {
      token: seller.token,
      body: { title, startingPrice: 100, endsAt: new Date(Date.now() + 60_000).toISOString() },
    });
    assert.equal(created.status, 503, JSON.stringify(created.body));
    const rows = await api.deps.database.pool.query('SELECT 1 FROM auctions WHERE title = $1', [title]);
    assert.equal(rows.rowCount, 0);
  });
});

test('when the server drains, then an in-flight request still completes and new connections are refused', async () => {
  const app = express();
  let arrived: () => void = () => undefined;
  const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
  app.get('/slow', (_req, res) => {
    arrived();
    setTimeout(() => res.send('done'), 300);
  });
  const server = await listen(app, '127.0.0.1', 0);
  const port = portOf(server);
  const inFlight = fetch(`http://127.0.0.1:${port}/slow`);
  // Drain only once the server holds the request: a fixed wait lost the race on a loaded machine.
  await requestArrived;
  const drained = drain(server, 5000, pino({ level: 'silent' }));
  const response = await inFlight;
  assert.equal(await response.text(), 'done');
  await drained;
  await assert.rejects(
    new Promise((resolve, reject) => http.get(`http://127.0.0.1:${port}/slow`, resolve).on('error', reject)),
    /ECONNREFUSED/,
  );
});
