/**
 * `gavel watch` in a real terminal (tmux), against the real stack: the live line shows the auction, is
 * redrawn in place when another client's bid lands (price, leader, bids, the soft-close extension),
 * and, when the auction closes, gives way to the result and the command ends with 0. Also --json (one
 * event a line) and Ctrl-C (130).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from './helpers/api.js';
import { cliUser, GAVEL_BIN } from './helpers/cli.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { call, signUp, type AuctionJson } from './helpers/http.js';
import { startTestWorker, type TestWorker } from './helpers/temporal.js';
import { openTerminal, type Terminal } from './helpers/tmux.js';

let database: TestDatabase;
let worker: TestWorker;
let api: TestApi;
let seller: { id: string; token: string };
let bea: { id: string; token: string };
let cy: { id: string; token: string };
const terminals: Terminal[] = [];

before(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
  api = await startTestApi({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: worker.taskQueue });
  seller = await signUp(api.url, 'seller');
  bea = await signUp(api.url, 'bea');
  cy = await signUp(api.url, 'cy');
});
after(async () => {
  for (const terminal of terminals) terminal.close();
  await api.close();
  await worker.stop();
  await database.drop();
});

async function createAuction(body: Record<string, unknown>): Promise<AuctionJson> {
  const answer = await call<AuctionJson>(`${api.url}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Gibson Les Paul, 1959', startingPrice: 1000, ...body },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

const bid = async (auctionId: string, token: string, amount: number) => {
  const answer = await call(`${api.url}/v1/auctions/${auctionId}/bids`, { token, body: { amount } });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
};

/** `gavel watch <id>` in a fresh terminal, then `EXIT=<code>` once it ends (the pane stays to be read). */
function watchInTerminal(auctionId: string, extra = ''): Terminal {
  const user = cliUser(api.url);
  const terminal = openTerminal(
    `env XDG_CONFIG_HOME=${user.configHome} GAVEL_API=${api.url} ${process.execPath} ${GAVEL_BIN} watch ${extra} ${auctionId}; echo EXIT=$?; sleep 60`,
  );
  terminals.push(terminal);
  return terminal;
}

describe('gavel watch in a terminal', () => {
  test('when another client bids, then the line is redrawn in place with the new price, leader, bids and extension; at the close, the result and exit 0', async () => {
    const auction = await createAuction({
      endsAt: new Date(Date.now() + 8_000).toISOString(),
      softClose: { windowSeconds: 60, extendSeconds: 12 },
    });
    await bid(auction.id, bea.token, 2500);
    const terminal = watchInTerminal(auction.id);
    // The stream is public: the leader by alias ("Bidder 1", docs/api.md "Bidder privacy").
    const first = await terminal.waitFor(/\$10\.00 · leader Bidder \d+ · 1 bid · reserve met · ends in \d+s/);
    assert.match(first, /^Gibson Les Paul, 1959 · /m);

    await bid(auction.id, cy.token, 3000);
    const moved = await terminal.waitFor(
      /\$26\.00 · leader Bidder \d+ · 2 bids · reserve met · ends in \d+s · extended 1×/,
      5_000,
    );
    assert.match(moved, /leader Bidder 2 /, 'the new leader, by alias');
    assert.doesNotMatch(moved, /\$10\.00/, 'redrawn in place: the old line is gone');
    assert.equal(moved.split('\n').filter((line) => line.includes('Gibson')).length, 1, 'one live line');

    const closed = await terminal.waitFor(/EXIT=\d+/, 30_000);
    assert.match(closed, /Gibson Les Paul, 1959: sold to Bidder 2 for \$26\.00\./);
    assert.match(closed, /EXIT=0/);
  });

  test('when the auction is already closed, then the result at once, exit 0', async () => {
    const auction = await createAuction({ endsAt: new Date(Date.now() + 1_500).toISOString() });
    for (let tries = 0; ; tries++) {
      const answer = await call<AuctionJson>(`${api.url}/v1/auctions/${auction.id}`);
      if (answer.body.status === 'closed') break;
      assert.ok(tries < 150, `still ${answer.body.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const terminal = watchInTerminal(auction.id);
    const screen = await terminal.waitFor(/EXIT=\d+/);
    assert.match(screen, /Gibson Les Paul, 1959: closed unsold \(no bids\)\./);
    assert.match(screen, /EXIT=0/);
  });

  test('when the person presses Ctrl-C, then the watch stops with 130', async () => {
    const auction = await createAuction({ endsAt: new Date(Date.now() + 600_000).toISOString() });
    const terminal = watchInTerminal(auction.id);
    await terminal.waitFor(/ends in 9m/);
    terminal.keys('C-c');
    const screen = await terminal.waitFor(/EXIT=\d+/);
    assert.match(screen, /EXIT=130/);
  });
});

describe('gavel watch --json', () => {
  test('when it is read by a program, then each event is one line of JSON, and it ends with the close', async () => {
    const auction = await createAuction({ endsAt: new Date(Date.now() + 5_000).toISOString() });
    const user = cliUser(api.url);
    const child = spawn(process.execPath, [GAVEL_BIN, '--json', 'watch', auction.id], {
      env: { ...process.env, ...user.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await bid(auction.id, bea.token, 1500);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 0);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; data: Record<string, unknown> });
    assert.deepEqual(
      events.map((one) => one.event),
      ['snapshot', 'bid', 'closed'],
    );
    assert.equal(events[1]!.data.currentPrice, 1000);
    assert.equal(events[2]!.data.outcome, 'sold');
  });
});
