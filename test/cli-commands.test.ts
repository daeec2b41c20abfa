/**
 * The `gavel` command line, the real binary in child processes, against the real API, worker and
 * services: signing in (the token file, refresh, sign-out, one session per API), selling with an image,
 * listing, searching, showing, bidding and buying, flash sales with proof of work, orders; `--json`
 * printing exactly one document; exit codes; bad input refused before any request; an API that is
 * not there; help and completion.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { freePort } from './helpers/api-process.js';
import { startTestApi, type TestApi } from './helpers/api.js';
import { cliUser, credentialsFile, GAVEL_BIN, jsonOf, runCli, type CliUser } from './helpers/cli.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { makeJpeg } from './helpers/images.js';
import { openTerminal } from './helpers/tmux.js';
import { createTestBucket, type TestBucket } from './helpers/s3.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';

const PASSWORD = 'correct horse battery staple';

interface ErrorOut {
  error: { code: string; message: string; status?: number };
}
interface StoredFile {
  version: number;
  sessions: Record<string, { accessToken: string; accessTokenExpiresAt: string; refreshToken: string }>;
}

let database: TestDatabase;
let bucket: TestBucket;
let worker: TestWorker;
let api: TestApi;
let seller: { id: string; token: string; email: string };
let bidder: { id: string; token: string; email: string };
/** The seller's and the bidder's terminals, signed in once for the tests that need it. */
let sam: CliUser;
let bea: CliUser;
let imageDir: string;
/** An address where nothing listens. */
let nowhere: string;

const login = (user: CliUser, email: string) =>
  runCli(user, ['login', '--email', email, '--password-stdin'], { stdin: `${PASSWORD}\n` });

before(async () => {
  database = await createTestDatabase();
  bucket = await createTestBucket();
  worker = await startTestWorker(database.db);
  api = await startTestApi({
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: worker.taskQueue,
    ...bucket.env,
    IMAGE_UPLOAD_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gavel-cli-uploads-')),
  });
  seller = await signUp(api.url, 'sam');
  bidder = await signUp(api.url, 'bea');
  sam = cliUser(api.url);
  bea = cliUser(api.url);
  for (const [user, who] of [
    [sam, seller],
    [bea, bidder],
  ] as const) {
    const run = await login(user, who.email);
    assert.equal(run.code, 0, run.stderr);
  }
  imageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gavel-cli-images-'));
  fs.writeFileSync(path.join(imageDir, 'front.jpg'), makeJpeg(64, 48));
  nowhere = `http://127.0.0.1:${await freePort()}`;
});
after(async () => {
  await api.close();
  await worker.stop();
  await bucket.drop();
  await database.drop();
});

const stored = (user: CliUser) => JSON.parse(fs.readFileSync(credentialsFile(user), 'utf8')) as StoredFile;
const sessionOf = (user: CliUser) => stored(user).sessions[api.url]!;

/** An auction made over the API, for the tests that are not about creating one. */
async function auctionOverApi(body: Record<string, unknown> = {}): Promise<AuctionJson> {
  const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Lot', startingPrice: 1000, endsAt: new Date(Date.now() + 600_000).toISOString(), ...body },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('signing in', () => {
  test('when someone signs in with the password on stdin, then the session is stored 0600 in a 0700 directory, and whoami asks the API', async () => {
    const user = cliUser(api.url);
    const run = await login(user, bidder.email);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`Signed in to ${api.url} as bea <${bidder.email}>`));
    assert.equal(fs.statSync(credentialsFile(user)).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(credentialsFile(user))).mode & 0o777, 0o700);
    assert.doesNotMatch(run.stdout + run.stderr, /eyJ/, 'no token is printed');
    const whoami = await runCli(user, ['whoami', '--json']);
    assert.equal(whoami.code, 0, whoami.stderr);
    const answer = jsonOf<{ api: string; user: { id: string; email: string } }>(whoami);
    assert.deepEqual([answer.api, answer.user.id, answer.user.email], [api.url, bidder.id, bidder.email]);
  });

  test('when someone signs in at a terminal, then the email and the password are asked for (the password not shown)', async () => {
    const user = cliUser(api.url);
    const terminal = openTerminal(
      `env XDG_CONFIG_HOME=${user.configHome} GAVEL_API=${api.url} ${process.execPath} ${GAVEL_BIN} login; echo EXIT=$?; sleep 30`,
    );
    try {
      await terminal.waitFor(/Email/);
      terminal.keys('-l', bidder.email);
      terminal.keys('Enter');
      await terminal.waitFor(/Password/);
      terminal.keys('-l', PASSWORD);
      terminal.keys('Enter');
      const screen = await terminal.waitFor(/EXIT=\d+/);
      assert.match(screen, /EXIT=0/);
      assert.match(screen, /Signed in to .* as bea/);
      assert.doesNotMatch(screen, new RegExp(PASSWORD), 'the password is masked');
    } finally {
      terminal.close();
    }
    assert.equal((await runCli(user, ['whoami'])).code, 0);
  });

  test("when the password is wrong, then exit 1 with the API's code and message, and nothing is stored", async () => {
    const user = cliUser(api.url);
    const run = await runCli(user, ['login', '--email', bidder.email, '--password-stdin'], { stdin: 'wrong\n' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /INVALID_CREDENTIALS/);
    assert.equal(fs.existsSync(credentialsFile(user)), false);
  });

  test('when nobody is at the terminal to ask and no flags say, then a usage error (2), not a hang', async () => {
    const run = await runCli(cliUser(api.url), ['login']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--email/);
  });

  test('when nobody is signed in, then the commands that need a session exit 3 and say to log in', async () => {
    const user = cliUser(api.url);
    const auction = await auctionOverApi();
    for (const args of [['whoami'], ['orders'], ['bid', auction.id, '20'], ['sales', 'claim', randomUUID()]]) {
      const run = await runCli(user, args);
      assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /gavel login/);
    }
  });

  test('when the access token has expired, then it is refreshed with the refresh token (which rotates) and the command works', async () => {
    const user = cliUser(api.url);
    assert.equal((await login(user, seller.email)).code, 0);
    const before = sessionOf(user);
    const file = stored(user);
    file.sessions[api.url]!.accessTokenExpiresAt = new Date(Date.now() - 1000).toISOString();
    fs.writeFileSync(credentialsFile(user), JSON.stringify(file));
    const run = await runCli(user, ['whoami']);
    assert.equal(run.code, 0, run.stderr);
    const after = sessionOf(user);
    assert.notEqual(after.refreshToken, before.refreshToken, 'a new refresh token');
    assert.ok(Date.parse(after.accessTokenExpiresAt) > Date.now() + 60_000);
    assert.equal(fs.statSync(credentialsFile(user)).mode & 0o777, 0o600, 'still 0600 after the rewrite');
  });

  test('when the API refuses the access token, then the command refreshes once and repeats the request', async () => {
    const user = cliUser(api.url);
    assert.equal((await login(user, seller.email)).code, 0);
    const file = stored(user);
    file.sessions[api.url]!.accessToken = 'not-a-token';
    fs.writeFileSync(credentialsFile(user), JSON.stringify(file));
    const run = await runCli(user, ['whoami']);
    assert.equal(run.code, 0, run.stderr);
    assert.notEqual(sessionOf(user).accessToken, 'not-a-token');
  });

  test('when two commands refresh at the same moment, then both work and the session survives (no refresh token shown twice)', async () => {
    const user = cliUser(api.url);
    assert.equal((await login(user, seller.email)).code, 0);
    const file = stored(user);
    file.sessions[api.url]!.accessTokenExpiresAt = new Date(Date.now() - 1000).toISOString();
    fs.writeFileSync(credentialsFile(user), JSON.stringify(file));
    const runs = await Promise.all([1, 2, 3].map(() => runCli(user, ['whoami'])));
    assert.deepEqual(
      runs.map((run) => run.code),
      [0, 0, 0],
      runs.map((run) => run.stderr).join('\n'),
    );
    const refreshed = await call(`${api.url}/v1/auth/refresh`, {
      body: { refreshToken: sessionOf(user).refreshToken },
    });
    assert.equal(refreshed.status, 200, 'the stored refresh token is still good: nobody reused one');
  });

  test('when the session was ended elsewhere, then exit 3, and the stored session is dropped', async () => {
    const user = cliUser(api.url);
    assert.equal((await login(user, seller.email)).code, 0);
    const loggedOut = await call(`${api.url}/v1/auth/logout`, { body: { refreshToken: sessionOf(user).refreshToken } });
    assert.equal(loggedOut.status, 204);
    const file = stored(user);
    file.sessions[api.url]!.accessTokenExpiresAt = new Date(Date.now() - 1000).toISOString();
    fs.writeFileSync(credentialsFile(user), JSON.stringify(file));
    const run = await runCli(user, ['whoami']);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /has ended/);
    assert.equal(stored(user).sessions[api.url], undefined);
  });

  test('when the command is pointed at another API, then no token goes there: that API has no session', async () => {
    const other = `http://127.0.0.1:${await freePort()}`;
    const run = await runCli({ ...sam, env: { ...sam.env, GAVEL_API: other } }, ['whoami']);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, new RegExp(`not signed in to ${other}`));
  });

  test('when someone logs out, then the API revokes the session and the file no longer holds it', async () => {
    const user = cliUser(api.url);
    assert.equal((await login(user, seller.email)).code, 0);
    const { refreshToken } = sessionOf(user);
    const run = await runCli(user, ['logout', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(jsonOf(run), { api: api.url, signedOut: true });
    assert.equal(stored(user).sessions[api.url], undefined);
    assert.equal((await call(`${api.url}/v1/auth/refresh`, { body: { refreshToken } })).status, 401);
    assert.equal((await runCli(user, ['whoami'])).code, 3);
  });
});

describe('selling, listing, searching, showing', () => {
  const word = `zanzibar${Date.now()}`;
  let created: AuctionJson & { images: { contentType: string; width: number }[] };

  test('when a seller creates an auction with an image, then amounts are exact minor units and the image is on it', async () => {
    const run = await runCli(sam, [
      '--json',
      'auctions',
      'create',
      '--title',
      `Leica M3 ${word}`,
      '--description',
      'A camera, 1954',
      '--starting-price',
      '12.50',
      '--reserve',
      '40',
      '--buy-now',
      '900.05',
      '--ends-in',
      '2h',
      '--category',
      'electronics',
      '--image',
      path.join(imageDir, 'front.jpg'),
    ]);
    assert.equal(run.code, 0, run.stderr);
    created = jsonOf(run);
    assert.equal(created.status, 'open');
    assert.equal(created.startingPrice, 1250);
    assert.equal(created.buyNowPrice, 90_005);
    assert.equal(created.category, 'electronics');
    assert.equal(created.sellerId, seller.id);
    const endsIn = Date.parse(created.endsAt) - Date.now();
    assert.ok(endsIn > 7_000_000 && endsIn <= 7_200_000, `ends in about 2h: ${endsIn} ms`);
    assert.deepEqual(
      created.images.map((image) => [image.contentType, image.width]),
      [['image/jpeg', 64]],
    );
    const detail = await call<{ images: unknown[] }>(`${api.url}/v1/auctions/${created.id}`);
    assert.equal(detail.body.images.length, 1);
  });

  test('when it is created without --json, then people read its id, price and how to watch it', async () => {
    const run = await runCli(sam, [
      'auctions',
      'create',
      '--title',
      'Lamp',
      '--starting-price',
      '5',
      '--ends-in',
      '90m',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Created auction [0-9a-f-]{36}: Lamp$/m);
    assert.match(run.stdout, /Starting at \$5\.00, open, ends in 1h 29m|Starting at \$5\.00, open, ends in 1h 30m/);
    assert.match(run.stdout, /gavel watch [0-9a-f-]{36}/);
  });

  test('when the listing, a search and the auction are asked for, then each finds it as the API shows it', async () => {
    const list = await runCli(bea, ['auctions', 'list', '--json', '--status', 'open', '--limit', '100']);
    assert.equal(list.code, 0, list.stderr);
    assert.ok(jsonOf<{ items: { id: string }[] }>(list).items.some((item) => item.id === created.id));

    const search = await runCli(bea, ['--json', 'auctions', 'search', word]);
    assert.equal(search.code, 0, search.stderr);
    assert.deepEqual(
      jsonOf<{ items: { id: string }[] }>(search).items.map((item) => item.id),
      [created.id],
    );
    const people = await runCli(bea, ['auctions', 'search', word]);
    assert.match(people.stdout, /^ID\s+KIND\s+TITLE\s+PRICE/m);
    assert.match(
      people.stdout,
      new RegExp(`${created.id}\\s+auction\\s+Leica M3 ${word}\\s+\\$12\\.50\\s+0 bids\\s+open`),
    );

    const show = await runCli(bea, ['auctions', 'show', created.id, '--json']);
    assert.equal(show.code, 0, show.stderr);
    assert.equal(jsonOf<AuctionJson>(show).currentPrice, 1250);
    const shown = await runCli(bea, ['auctions', 'show', created.id]);
    assert.match(shown.stdout, /price\s+\$12\.50/);
    assert.match(shown.stdout, /buy now\s+\$900\.05/);
    assert.match(shown.stdout, /image\s+http/);
  });

  test('when an auction does not exist, then exit 1 with NOT_FOUND, in the error shape with --json', async () => {
    const run = await runCli(bea, ['auctions', 'show', randomUUID(), '--json']);
    assert.equal(run.code, 1);
    assert.equal(jsonOf<ErrorOut>(run).error.code, 'NOT_FOUND');
    assert.match(run.stderr, /404 NOT_FOUND/);
  });

  test('when an amount, a duration or an image is bad, then a usage error (2) before any request, and nothing is created', async () => {
    const mine = async () =>
      (await call<{ items: unknown[] }>(`${api.url}/v1/users/me/auctions?limit=100`, { token: seller.token })).body
        .items.length;
    const before = await mine();
    const base = ['auctions', 'create', '--title', 'Bad', '--ends-in', '2h'];
    for (const [args, message] of [
      [[...base, '--starting-price', '12.345'], /more than 2 decimals/],
      [[...base, '--starting-price', '-1'], /not an amount/],
      [[...base, '--starting-price', 'abc'], /not an amount/],
      [[...base, '--starting-price', '0'], /more than zero/],
      [['auctions', 'create', '--title', 'Bad', '--starting-price', '5', '--ends-in', '2w'], /90m, 2h or 3d/],
      [['auctions', 'create', '--title', 'Bad', '--starting-price', '5', '--ends-in', 'soon'], /90m, 2h or 3d/],
      [[...base, '--starting-price', '5', '--image', path.join(imageDir, 'missing.jpg')], /no such file/],
      [[...base, '--starting-price', '5', '--category', 'spaceships'], /choices/],
      [['auctions', 'create', '--starting-price', '5', '--ends-in', '2h'], /--title/],
    ] as const) {
      const run = await runCli(sam, [...args]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      // The same with an API that is not there: a usage error still, so nothing was sent.
      const unsent = await runCli({ ...sam, env: { ...sam.env, GAVEL_API: nowhere } }, [...args]);
      assert.equal(unsent.code, 2, `${args.join(' ')} (no API): ${unsent.stderr}`);
    }
    assert.equal(await mine(), before);
  });
});

describe('bidding', () => {
  test('when a bidder bids in major units, then the bid is their maximum in minor units and they lead at the start price', async () => {
    const auction = await auctionOverApi({ startingPrice: 1250 });
    const run = await runCli(bea, ['--json', 'bid', auction.id, '20']);
    assert.equal(run.code, 0, run.stderr);
    const placed = jsonOf<{ leading: boolean; currentPrice: number; amount: number; currency: string }>(run);
    assert.deepEqual([placed.leading, placed.currentPrice, placed.amount, placed.currency], [true, 1250, 2000, 'USD']);
    const people = await runCli(sam, ['bid', auction.id, '30']);
    assert.equal(people.code, 1, 'the seller cannot bid');
    assert.match(people.stderr, /SELLER_CANNOT_BID/);
  });

  test("when a bid is too low, then exit 1 with the API's code, message and minimumNextBid", async () => {
    const auction = await auctionOverApi({ startingPrice: 1000 });
    const run = await runCli(bea, ['bid', auction.id, '5', '--json']);
    assert.equal(run.code, 1);
    const { error } = jsonOf<ErrorOut & { error: { minimumNextBid: number } }>(run);
    assert.deepEqual([error.code, error.status, error.minimumNextBid], ['BID_TOO_LOW', 409, 1000]);
    assert.match(run.stderr, /409 BID_TOO_LOW/);
  });

  test('when a person bids, then they read whether they lead and what the next bid must be', async () => {
    const auction = await auctionOverApi({ startingPrice: 1000 });
    const run = await runCli(bea, ['bid', auction.id, '25.00']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /You lead at \$10\.00 \(your maximum: \$25\.00\)/);
    assert.match(run.stdout, /Next bid at least \$10\.50/);
  });

  test('when the amount is bad, then a usage error (2), before any request, and no bid is made', async () => {
    const auction = await auctionOverApi();
    for (const amount of ['abc', '-1', '0', '1e3']) {
      const run = await runCli({ ...bea, env: { ...bea.env, GAVEL_API: nowhere } }, ['bid', auction.id, amount]);
      assert.equal(run.code, 2, `${amount}: ${run.stderr}`);
    }
    // Three decimals are an amount in some currencies: refused once the auction's (USD) is known, before the bid.
    const run = await runCli(bea, ['bid', auction.id, '12.345']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /more than 2 decimals/);
    assert.equal((await call<AuctionJson>(`${api.url}/v1/auctions/${auction.id}`)).body.bidCount, 0);
  });

  test('when someone buys now, then the auction closes at once, and the order shows in their orders', async () => {
    const auction = await auctionOverApi({ startingPrice: 1000, buyNowPrice: 5000 });
    const run = await runCli(bea, ['bid', auction.id, '--buy-now']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Bought at \$50\.00/);
    const order = await eventually('the order', async () => {
      const orders = await runCli(bea, ['orders', '--json', '--limit', '100']);
      assert.equal(orders.code, 0, orders.stderr);
      return jsonOf<{ items: { auctionId: string; total: number; status: string }[] }>(orders).items.find(
        (item) => item.auctionId === auction.id,
      );
    });
    assert.deepEqual([order.total, order.status], [5000, 'awaiting_payment']);
    const people = await runCli(bea, ['orders']);
    assert.match(people.stdout, new RegExp(`auction ${auction.id}\\s+\\$50\\.00\\s+awaiting_payment\\s+pay by`));
  });
});

describe('flash sales', () => {
  test('when a sale asks for proof of work, then a claim solves it and holds a unit, with an order to pay', async () => {
    const created = await runCli(sam, [
      '--json',
      'sales',
      'create',
      '--title',
      'Air Jordan 1',
      '--price',
      '120',
      '--stock',
      '2',
      '--per-user-limit',
      '1',
      '--hold',
      '10m',
      '--require-challenge',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const sale = jsonOf<{ id: string; price: number; requireChallenge: boolean; holdSeconds: number }>(created);
    assert.deepEqual([sale.price, sale.requireChallenge, sale.holdSeconds], [12_000, true, 600]);

    const claim = await runCli(bea, ['sales', 'claim', sale.id, '--json']);
    assert.equal(claim.code, 0, claim.stderr);
    const claimed = jsonOf<{ orderId: string; quantity: number; total: number }>(claim);
    assert.deepEqual([claimed.quantity, claimed.total], [1, 12_000]);
    const again = await runCli(bea, ['sales', 'claim', sale.id]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /LIMIT_REACHED/);
    const order = await call<{ saleId: string }>(`${api.url}/v1/orders/${claimed.orderId}`, { token: bidder.token });
    assert.equal(order.body.saleId, sale.id);
  });
});

describe('an API that is not there', () => {
  test('when the API cannot be reached, then exit 4 with a message that says where it looked, and the error shape with --json', async () => {
    const away = { ...bea, env: { ...bea.env, GAVEL_API: nowhere } };
    for (const args of [
      ['auctions', 'list'],
      ['auctions', 'show', randomUUID()],
      ['watch', randomUUID()],
    ]) {
      const run = await runCli(away, args);
      assert.equal(run.code, 4, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`Could not reach the API at ${nowhere}: the connection was refused`));
      assert.equal(run.stdout, '');
    }
    const login = await runCli(cliUser(nowhere), ['login', '--email', 'x@example.test', '--password-stdin'], {
      stdin: 'pw',
    });
    assert.equal(login.code, 4);
    const json = await runCli(away, ['--json', 'auctions', 'list']);
    assert.equal(json.code, 4);
    assert.equal(jsonOf<ErrorOut>(json).error.code, 'UNREACHABLE');
    const flag = await runCli(bea, ['--api', nowhere, 'auctions', 'list']);
    assert.equal(flag.code, 4, '--api as well as GAVEL_API');
  });

  test('when --api is not an http URL, then a usage error', async () => {
    const run = await runCli(bea, ['--api', 'ftp://example.test', 'auctions', 'list']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /http or https/);
  });
});

describe('help and completion', () => {
  test('when --help is asked of any command, then it answers with its examples, exit 0', async () => {
    const commands = [
      [],
      ['login'],
      ['logout'],
      ['whoami'],
      ['auctions'],
      ['auctions', 'create'],
      ['auctions', 'list'],
      ['auctions', 'search'],
      ['auctions', 'show'],
      ['bid'],
      ['watch'],
      ['orders'],
      ['sales'],
      ['sales', 'create'],
      ['sales', 'claim'],
      ['completion'],
    ];
    const runs = await Promise.all(commands.map((args) => runCli(bea, [...args, '--help'])));
    runs.forEach((run, index) => {
      assert.equal(run.code, 0, commands[index]!.join(' '));
      assert.match(run.stdout, /Examples:\n {2}\$ .*gavel /, commands[index]!.join(' '));
    });
  });

  test('when an unknown command or option is given, then a usage error (2)', async () => {
    assert.equal((await runCli(bea, ['bidd'])).code, 2);
    assert.equal((await runCli(bea, ['auctions', 'list', '--colour'])).code, 2);
    assert.equal((await runCli(bea, ['auctions', 'list', '--limit', '1000'])).code, 2);
  });

  test('when a completion script is asked for, then bash reads it and it completes the commands and their options', async () => {
    const run = await runCli(bea, ['completion', 'bash']);
    assert.equal(run.code, 0, run.stderr);
    const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gavel-completion-')), 'gavel.bash');
    fs.writeFileSync(script, run.stdout);
    const complete = (line: string) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source ${script}; COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _gavel_completions; echo "\${COMPREPLY[*]}"`,
        ],
        { encoding: 'utf8' },
      ).trim();
    assert.equal(complete('gavel auc'), 'auctions');
    assert.deepEqual(complete("gavel auctions ''").split(' ').slice(0, 4), ['create', 'list', 'search', 'show']);
    assert.match(complete('gavel auctions create --st'), /--starting-price/);
    assert.equal(complete('gavel auctions list --sort price_a'), 'price_asc');
    for (const shell of ['zsh', 'fish']) {
      const other = await runCli(bea, ['completion', shell]);
      assert.equal(other.code, 0);
      assert.match(other.stdout, /auctions/);
    }
  });

  test("when run as the package's bin with npx, then it is the same command", () => {
    const version = execFileSync('npx', ['--no-install', 'gavel', '--version'], {
      encoding: 'utf8',
      cwd: path.dirname(path.dirname(GAVEL_BIN)),
    }).trim();
    assert.match(version, /^\d+\.\d+\.\d+$/);
  });
});
