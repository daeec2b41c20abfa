/**
 * schemathesis (installed by scripts/setup.sh into .gavel/venv) against the real API: it generates
 * requests from /openapi.json, valid and invalid, and fails on any 5xx, any status, header, content
 * type or body the document does not describe, accepted invalid input or refused valid input, and
 * auth that is not enforced. Seeded and bounded, so a run is repeatable and takes well under a minute.
 */
import assert from 'node:assert/strict';
import { DEVELOPMENT_LINK_SECRET, signUnsubscribeToken } from '../domain/notifications/unsubscribe-token.js';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { startTestApi, type TestApi } from './helpers/api.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const SCHEMATHESIS = `${root}.gavel/venv/bin/schemathesis`;
const CONFIG = `${root}test/schemathesis.toml`;
// Fixed, so a failure reproduces; FUZZ_SEED and FUZZ_EXAMPLES explore further by hand.
const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const MAX_EXAMPLES = Number(process.env.FUZZ_EXAMPLES ?? 25);
/** Past this the run is stopped and the test fails: a hang must not eat the suite's time. */
const DEADLINE_MS = 100_000 * Math.max(1, MAX_EXAMPLES / 25);

/** An admin by configuration, as a deployment makes its first one: the fuzzer calls the admin routes as it. */
const ADMIN_EMAIL = `fuzz-admin-${randomUUID()}@example.test`;

let database: TestDatabase;
let api: TestApi;
before(async () => {
  database = await createTestDatabase();
  // A task queue no worker polls: the fuzzer's auctions never need their workflows to run.
  api = await startTestApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: `fuzz-${randomUUID()}`,
    ADMIN_EMAILS: ADMIN_EMAIL,
  });
});
after(async () => {
  await api.close();
  await database.drop();
});

function run(command: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string; ms: number }>((resolve, reject) => {
    const started = Date.now();
    // In a folder of its own: whatever it leaves behind (hypothesis's files) stays out of the repository.
    const cwd = mkdtempSync(join(tmpdir(), 'gavel-fuzz-'));
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      output += `\n[stopped: still running after ${DEADLINE_MS / 1000} s]\n`;
      child.kill('SIGKILL');
    }, DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

const title = 'when schemathesis fuzzes the live API from its OpenAPI document, then it finds nothing';
test(title, { timeout: DEADLINE_MS + 30_000 }, async () => {
  assert.ok(existsSync(SCHEMATHESIS), `${SCHEMATHESIS} is missing: run scripts/setup.sh`);
  const seller = await signUp(api.url, 'fuzz-seller');
  const bidder = await signUp(api.url, 'fuzz-bidder');
  // DELETE /v1/users/me is fuzzed with an account of its own, so the bidder lives on for the other operations.
  const leaver = await signUp(api.url, 'fuzz-leaver');
  const createAuction = async () => {
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, {
      token: seller.token,
      body: { title: 'Fuzzed lot', startingPrice: 1000, endsAt },
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return answer.body;
  };
  const auction = await createAuction();
  await createAuction();
  // One of the fuzz user's own, so its uploads reach the upload parser (on the others they are 403).
  const endsAt = new Date(Date.now() + 3600_000).toISOString();
  const own = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: bidder.token,
    body: { title: 'Fuzzed pictures', startingPrice: 1000, endsAt },
  });
  assert.equal(own.status, 201, JSON.stringify(own.body));

  const sale = await call<{ id: string }>(`${api.url}/v1/sales`, {
    token: seller.token,
    body: { title: 'Fuzzed sale', price: 1000, stock: 1_000_000, perUserLimit: 100 },
  });
  assert.equal(sale.status, 201, JSON.stringify(sale.body));

  // The admin routes' own targets, so what the fuzzer blocks or cancels is nobody else's.
  const password = 'correct horse battery staple';
  const admin = await call<{ id: string }>(`${api.url}/v1/users`, {
    body: { email: ADMIN_EMAIL, password, displayName: 'fuzz-admin' },
  });
  assert.equal(admin.status, 201, JSON.stringify(admin.body));
  const adminToken = await call<{ accessToken: string }>(`${api.url}/v1/auth/token`, {
    body: { email: ADMIN_EMAIL, password },
  });
  const target = await signUp(api.url, 'fuzz-target');
  const adminAuction = await createAuction();
  const adminSale = await call<{ id: string }>(`${api.url}/v1/sales`, {
    token: seller.token,
    body: { title: 'Fuzzed sale, for the admins', price: 1000, stock: 10 },
  });
  assert.equal(adminSale.status, 201, JSON.stringify(adminSale.body));
  // Fires monthly on the admin's auction: the fuzzer reads, pauses, resumes and deletes it (then 404s).
  const promotion = await call<{ id: string }>(`${api.url}/v1/admin/promotions`, {
    token: adminToken.body.accessToken,
    body: { every: 'P30D', budget: 1000, scope: { auctionId: adminAuction.id } },
  });
  assert.equal(promotion.status, 201, JSON.stringify(promotion.body));

  const { code, output, ms } = await run(
    SCHEMATHESIS,
    [
      '--config-file',
      CONFIG,
      'run',
      `${api.url}/openapi.json`,
      '--seed',
      String(SEED),
      '--max-examples',
      String(MAX_EXAMPLES),
      '--no-color',
      '--workers',
      '1',
    ],
    {
      GAVEL_FUZZ_TOKEN: bidder.token,
      GAVEL_FUZZ_DELETE_TOKEN: leaver.token,
      GAVEL_FUZZ_AUCTION_ID: auction.id,
      GAVEL_FUZZ_OWN_AUCTION_ID: own.body.id,
      GAVEL_FUZZ_SALE_ID: sale.body.id,
      GAVEL_FUZZ_ADMIN_TOKEN: adminToken.body.accessToken,
      GAVEL_FUZZ_TARGET_USER_ID: target.id,
      GAVEL_FUZZ_ADMIN_AUCTION_ID: adminAuction.id,
      GAVEL_FUZZ_ADMIN_SALE_ID: adminSale.body.id,
      GAVEL_FUZZ_PROMOTION_ID: promotion.body.id,
      GAVEL_FUZZ_UNSUBSCRIBE_TOKEN: await signUnsubscribeToken(DEVELOPMENT_LINK_SECRET, {
        userId: bidder.id,
        type: 'auction_started',
      }),
    },
  );
  const summary = output.match(/^\s*\d+ generated.*$/m)?.[0].trim() ?? 'no summary';
  console.log(
    `schemathesis, seed ${SEED}, ${MAX_EXAMPLES} examples per operation: ${summary}, ${(ms / 1000).toFixed(1)} s`,
  );
  assert.equal(code, 0, `schemathesis exited ${code}:\n${output}`);
  assert.equal(
    (await call(`${api.url}/v1/users/me`, { token: bidder.token })).status,
    200,
    'the bidder was not deleted',
  );
  assert.equal((await call(`${api.url}/v1/users/me`, { token: leaver.token })).status, 401, 'deleteMe was fuzzed');
  assert.equal(
    (await call<AuctionJson>(`${api.url}/v1/auctions/${adminAuction.id}`)).body.status,
    'cancelled',
    'the admin routes were fuzzed as an admin',
  );
});
