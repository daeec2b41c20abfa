/**
 * `gavel admin …` and `gavel retract`, the real binary against the real API and worker, with an admin
 * by ADMIN_EMAILS: blocking a bidder (whose bid is then refused) and unblocking, voiding a bidder's bids
 * (the price found again), the audit log (the void's entry written by the persist cycle), a non-admin's
 * 403, a bidder's retraction and its refusal, and usage errors before any request.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from './helpers/api.js';
import { cliUser, jsonOf, runCli, type CliUser } from './helpers/cli.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

const PASSWORD = 'correct horse battery staple';
/** ADMIN_EMAILS names this address: whoever signs up with it is an admin. */
const ADMIN_EMAIL = `moderator-${randomUUID()}@example.test`;

interface ErrorOut {
  error: { code: string; message: string; status: number; reason?: string };
}
interface ModeratedUserOut {
  id: string;
  role: string;
  blocked: boolean;
  blockedReason: string | null;
}
interface AuditPageOut {
  items: { id: number; action: string; actorId: string | null; targetId: string; reason: string | null }[];
  nextCursor: string | null;
}

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let seller: { id: string; token: string; email: string };
let bidder: { id: string; token: string; email: string };
let rival: { id: string; token: string; email: string };
let adminId: string;
let adminToken: string;
/** The admin's and the bidder's terminals, signed in once. */
let ada: CliUser;
let bea: CliUser;

const login = (user: CliUser, email: string) =>
  runCli(user, ['login', '--email', email, '--password-stdin'], { stdin: `${PASSWORD}\n` });

before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  api = await startTestApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: worker.taskQueue,
    ADMIN_EMAILS: ADMIN_EMAIL,
  });
  const admin = await call<{ id: string }>(`${api.url}/v1/users`, {
    body: { email: ADMIN_EMAIL, password: PASSWORD, displayName: 'ada' },
  });
  assert.equal(admin.status, 201, JSON.stringify(admin.body));
  adminId = admin.body.id;
  const token = await call<{ accessToken: string }>(`${api.url}/v1/auth/token`, {
    body: { email: ADMIN_EMAIL, password: PASSWORD },
  });
  adminToken = token.body.accessToken;
  [seller, bidder, rival] = await Promise.all([signUp(api.url, 'sam'), signUp(api.url, 'bea'), signUp(api.url, 'cal')]);
  ada = cliUser(api.url);
  bea = cliUser(api.url);
  for (const [user, email] of [
    [ada, ADMIN_EMAIL],
    [bea, bidder.email],
  ] as const) {
    const run = await login(user, email);
    assert.equal(run.code, 0, run.stderr);
  }
});
after(async () => {
  await api.close();
  await worker.stop();
  await database.drop();
});

async function auctionOverApi(body: Record<string, unknown> = {}): Promise<AuctionJson> {
  const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Lot', startingPrice: 1000, endsAt: new Date(Date.now() + 3_600_000).toISOString(), ...body },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('accounts', () => {
  test('when an admin blocks a bidder, then their bid is refused with ACCOUNT_BLOCKED; once unblocked, they bid again', async () => {
    const auction = await auctionOverApi();
    const blocked = await runCli(ada, ['admin', 'block', bidder.id, '--reason', 'shill bidding', '--json']);
    assert.equal(blocked.code, 0, blocked.stderr);
    const user = jsonOf<ModeratedUserOut>(blocked);
    assert.deepEqual([user.id, user.blocked, user.blockedReason], [bidder.id, true, 'shill bidding']);

    const shown = await runCli(ada, ['admin', 'user', bidder.id]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`bea <${bidder.email}>`));
    assert.match(shown.stdout, /Blocked since .*: shill bidding/);

    const refused = await runCli(bea, ['bid', auction.id, '20']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Your account is blocked.*\(403 ACCOUNT_BLOCKED\)/);

    const unblocked = await runCli(ada, ['admin', 'unblock', bidder.id, '--reason', 'appeal upheld']);
    assert.equal(unblocked.code, 0, unblocked.stderr);
    assert.match(unblocked.stdout, /Unblocked\.\n[\s\S]*Not blocked\./);
    const bid = await runCli(bea, ['bid', auction.id, '20', '--json']);
    assert.equal(bid.code, 0, bid.stderr);
    assert.equal(jsonOf<{ leading: boolean }>(bid).leading, true);
  });

  test('when an admin grants and takes back the role, then the account says so', async () => {
    const granted = await runCli(ada, ['admin', 'role', rival.id, 'admin', '--reason', 'joins support', '--json']);
    assert.equal(granted.code, 0, granted.stderr);
    assert.equal(jsonOf<ModeratedUserOut>(granted).role, 'admin');
    const taken = await runCli(ada, ['admin', 'role', rival.id, 'user']);
    assert.equal(taken.code, 0, taken.stderr);
    assert.match(taken.stdout, /Role set to user\.\n.*\nRole: user\./);
  });

  test("when someone who is not an admin runs an admin command, then the API's 403 in plain words, exit 1", async () => {
    const run = await runCli(bea, ['admin', 'block', rival.id, '--reason', 'no', '--json']);
    assert.equal(run.code, 1);
    const { error } = jsonOf<ErrorOut>(run);
    assert.deepEqual([error.code, error.status], ['FORBIDDEN', 403]);
    assert.match(run.stderr, /^gavel: .+ \(403 FORBIDDEN\)\n$/);
    const user = await call<ModeratedUserOut>(`${api.url}/v1/admin/users/${rival.id}`, { token: bidder.token });
    assert.equal(user.status, 403);
  });

  test('when nobody is signed in, then admin commands exit 3', async () => {
    const run = await runCli(cliUser(api.url), ['admin', 'user', rival.id]);
    assert.equal(run.code, 3, run.stderr);
  });
});

describe('auctions and sales', () => {
  test("when an admin voids a bidder's bids, then the price and leader are found again, and the audit log shows it", async () => {
    const auction = await auctionOverApi({ startingPrice: 1000 });
    assert.equal((await runCli(bea, ['bid', auction.id, '30'])).code, 0);
    const rivalBid = await call(`${api.url}/v1/auctions/${auction.id}/bids`, {
      token: rival.token,
      body: { amount: 2000 },
    });
    assert.equal(rivalBid.status, 201, JSON.stringify(rivalBid.body));
    const shown = await runCli(ada, ['auctions', 'show', auction.id, '--json']);
    const priceBefore = jsonOf<{ currentPrice: number }>(shown).currentPrice;
    assert.ok(priceBefore > 2000, `bea leads above cal's maximum (${priceBefore})`);

    const voided = await runCli(ada, ['admin', 'void', auction.id, bidder.id, '--reason', 'shill bidding']);
    assert.equal(voided.code, 0, voided.stderr);
    assert.match(voided.stdout, /^Voided every bid of Bidder \d+ on .*\nThe price is now \$10\.00; Bidder \d+ leads/);
    const after = await runCli(ada, ['--json', 'auctions', 'show', auction.id]);
    assert.equal(jsonOf<{ currentPrice: number }>(after).currentPrice, 1000, 'cal alone: the start price');

    const page = await eventually('the void in the audit log', async () => {
      const run = await runCli(ada, ['admin', 'audit', '--target', auction.id, '--json']);
      assert.equal(run.code, 0, run.stderr);
      const found = jsonOf<AuditPageOut>(run);
      return found.items.some((entry) => entry.action === 'bids_voided') ? found : undefined;
    });
    const entry = page.items.find((item) => item.action === 'bids_voided')!;
    assert.deepEqual([entry.actorId, entry.reason], [adminId, 'shill bidding']);
    const table = await runCli(ada, ['admin', 'audit', '--target', auction.id]);
    assert.match(table.stdout, /^ID +AT +ACTION +TARGET +BY +REASON\n/);
    assert.match(table.stdout, new RegExp(`bids_voided +auction ${auction.id} +${adminId} +shill bidding`));
  });

  test('when an admin cancels an auction and a sale, then they are cancelled', async () => {
    const auction = await auctionOverApi();
    const cancelled = await runCli(ada, ['admin', 'cancel', auction.id, '--reason', 'counterfeit']);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.match(cancelled.stdout, new RegExp(`Auction ${auction.id} \\(Lot\\) is cancelled\\.`));
    const sale = await call<{ id: string }>(`${api.url}/v1/sales`, {
      token: seller.token,
      body: { title: 'Tickets', description: '', currency: 'USD', price: 4500, stock: 3 },
    });
    assert.equal(sale.status, 201, JSON.stringify(sale.body));
    const run = await runCli(ada, ['admin', 'cancel-sale', sale.body.id, '--reason', 'resale', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(jsonOf<{ status: string }>(run).status, 'cancelled');
  });

  test('when the whole audit log is asked for a page at a time, then --all reads every page into one', async () => {
    const one = await runCli(ada, ['admin', 'audit', '--actor', adminId, '--limit', '1', '--json']);
    assert.equal(one.code, 0, one.stderr);
    const first = jsonOf<AuditPageOut>(one);
    assert.equal(first.items.length, 1);
    assert.notEqual(first.nextCursor, null);
    const every = await runCli(ada, ['admin', 'audit', '--actor', adminId, '--limit', '1', '--all', '--json']);
    assert.equal(every.code, 0, every.stderr);
    const all = jsonOf<AuditPageOut>(every);
    assert.equal(all.nextCursor, null);
    const actions = new Set(all.items.map((entry) => entry.action));
    for (const action of ['user_blocked', 'user_unblocked', 'role_changed', 'auction_cancelled', 'sale_cancelled']) {
      assert.ok(actions.has(action), `${action} in ${[...actions].join(', ')}`);
    }
    assert.ok(all.items.every((entry) => entry.actorId === adminId));
    const ids = all.items.map((entry) => entry.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
      'newest first, none twice',
    );
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('retracting', () => {
  test('when a bidder retracts their last bid, then it is taken back; a second retraction is refused with its reason', async () => {
    const auction = await auctionOverApi({ startingPrice: 1000 });
    assert.equal((await runCli(bea, ['bid', auction.id, '15'])).code, 0);
    const run = await runCli(bea, ['retract', auction.id, '--reason', 'wrong_amount']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Retracted your last bid.*\nThe price is now \$10\.00; nobody leads\.\n$/);

    assert.equal((await runCli(bea, ['bid', auction.id, '12'])).code, 0);
    const again = await runCli(bea, ['retract', auction.id, '--reason', 'wrong_amount', '--json']);
    assert.equal(again.code, 1);
    const { error } = jsonOf<ErrorOut>(again);
    assert.deepEqual([error.code, error.status, error.reason], ['RETRACTION_NOT_ALLOWED', 409, 'already_retracted']);
    assert.match(again.stderr, /you already have on this one \(409 RETRACTION_NOT_ALLOWED: already_retracted\)/);
  });
});

describe('promotions', () => {
  test('when an admin creates, lists, shows, pauses, resumes and deletes a promotion, then each answers as the API does', async () => {
    const auction = await auctionOverApi();
    const created = await runCli(ada, [
      'admin',
      'promotions',
      'create',
      '--every',
      'PT2H',
      '--jitter',
      'PT5M',
      '--budget',
      '250.50',
      '--auction',
      auction.id,
      '--strategy',
      'newer_bidders',
      '--reason',
      'launch week',
      '--json',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const promotion = jsonOf<{ id: string; budget: number; strategy: string; status: string }>(created);
    assert.deepEqual([promotion.budget, promotion.strategy, promotion.status], [25_050, 'newer_bidders', 'active']);

    const listed = await runCli(ada, ['admin', 'promotions', 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(
      listed.stdout,
      new RegExp(`${promotion.id} +active +auction ${auction.id} +PT2H +\\$250\\.50 of \\$250\\.50`),
    );

    const shown = await runCli(ada, ['admin', 'promotions', 'show', promotion.id]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /Fires every PT2H \(up to PT5M late\)[\s\S]*Next firing .*\.\nNo firings yet\./);

    const paused = await runCli(ada, ['admin', 'promotions', 'pause', promotion.id, '--reason', 'quiet week']);
    assert.equal(paused.code, 0, paused.stderr);
    assert.match(paused.stdout, /^Paused: no firings until resumed\.\nPromotion .*: paused,/);
    const resumed = await runCli(ada, ['admin', 'promotions', 'resume', promotion.id, '--json']);
    assert.equal(jsonOf<{ status: string }>(resumed).status, 'active');
    const deleted = await runCli(ada, ['admin', 'promotions', 'delete', promotion.id, '--reason', 'done']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /^Deleted\.\nPromotion .*: deleted,/);
    const gone = await runCli(ada, ['admin', 'promotions', 'show', promotion.id]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /\(404 NOT_FOUND\)/);

    const audit = await runCli(ada, ['admin', 'audit', '--target', promotion.id, '--json']);
    assert.deepEqual(
      jsonOf<AuditPageOut>(audit).items.map((entry) => [entry.action, entry.reason]),
      [
        ['promotion_deleted', 'done'],
        ['promotion_resumed', null],
        ['promotion_paused', 'quiet week'],
        ['promotion_created', 'launch week'],
      ],
    );
  });

  test("when a non-admin or a bad schedule is given, then the API's refusal in plain words, and nothing is created", async () => {
    const before = await call<{ items: unknown[] }>(`${api.url}/v1/admin/promotions`, { token: adminToken });
    const notAdmin = await runCli(bea, ['admin', 'promotions', 'create', '--every', 'PT1H', '--budget', '10']);
    assert.equal(notAdmin.code, 1);
    assert.match(notAdmin.stderr, /\(403 FORBIDDEN\)/);
    const tooOften = await runCli(ada, ['admin', 'promotions', 'create', '--every', 'PT10S', '--budget', '10']);
    assert.equal(tooOften.code, 1);
    assert.equal(
      tooOften.stderr,
      'gavel: The request is not valid (400 VALIDATION)\n  every: every must be from PT1M to P31D\n',
    );
    const after = await call<{ items: unknown[] }>(`${api.url}/v1/admin/promotions`, { token: adminToken });
    assert.equal(after.body.items.length, before.body.items.length);
  });
});

describe('usage', () => {
  test('when an argument is bad, then a usage error (2) before any request', async () => {
    const id = randomUUID();
    for (const args of [
      ['retract', id],
      ['retract', id, '--reason', 'changed_my_mind'],
      ['admin', 'role', id, 'superuser'],
      ['admin', 'block', id],
      ['admin', 'block', id, '--reason', '  '],
      ['admin', 'audit', '--limit', '1000'],
      ['admin', 'promote', id],
      ['admin', 'promotions', 'create', '--every', 'PT1H', '--budget', '-5'],
      ['admin', 'promotions', 'create', '--every', 'PT1H', '--budget', '12.345'],
      ['admin', 'promotions', 'create', '--every', 'every hour', '--budget', '10'],
      ['admin', 'promotions', 'create', '--every', 'PT1H', '--budget', '10', '--strategy', 'favourites'],
      ['admin', 'promotions', 'create', '--every', 'PT1H', '--budget', '10', '--category', 'pets'],
      ['admin', 'promotions', 'create', '--budget', '10'],
      ['admin', 'promotions', 'pause', id, '--reason', ' '],
    ]) {
      const run = await runCli({ ...ada, env: { ...ada.env, GAVEL_API: 'http://127.0.0.1:9' } }, args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    }
  });

  test('when --help is asked of an admin command or retract, then it answers with its examples', async () => {
    const commands = [
      ...['user', 'block', 'unblock', 'role', 'cancel', 'cancel-sale', 'void', 'audit', 'promotions'].map((name) => [
        'admin',
        name,
      ]),
      ['admin', 'promotions', 'create'],
    ];
    const runs = await Promise.all(
      [['admin'], ['retract'], ...commands].map((args) => runCli(bea, [...args, '--help'])),
    );
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Examples:\n {2}\$ .*gavel /);
    }
    assert.match((await runCli(bea, ['--help'])).stdout, /\n {2}admin +Operator commands/);
  });
});
