/**
 * What notifications cost and how fast they arrive, beside baselines measured in the same run:
 *   1. the bid route flat out, with outbid notifications on and off (two workers, one each), beside the
 *      express + Lua floor, in alternating runs;
 *   2. outbid latency at a fixed rate: from the 201 that displaced a leader to the row in their inbox,
 *      and to the event on their live stream;
 *   3. "ending soon" to 10,000 watchers: how long until every inbox has it, the workflow history it
 *      took, and the mail drained at the configured rate.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { sql } from 'drizzle-orm';
import { buildApi } from '../api/build.js';
import { listen, portOf } from '../api/server.js';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import { call, signUp, type AuctionJson } from '../test/helpers/http.js';
import { readSseEvents } from '../test/helpers/sse.js';
import { startBenchBackend } from './backend.js';
import { listenBidFloor } from './bid-floor.js';
import { median, percentile, runBidLoad, type BidLoadResult } from './bid-runner.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 5);
const OUTBID_RATE = Number(process.env.BENCH_OUTBID_RATE ?? 1200);
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 10_000);
// Each backend's worker runs its own email dispatcher (one per task queue), both draining the one
// outbox: together they may send twice this.
const EMAIL_RATE = 50;
const USERS = 40;

// Two API processes' worth of app, one per backend: they must accept each other's tokens.
process.env.JWT_PRIVATE_KEY ??= generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const on = await startBenchBackend({ OUTBID_NOTIFICATIONS: 'true', EMAIL_RATE_PER_SECOND: String(EMAIL_RATE) });
const off = await startBenchBackend({ OUTBID_NOTIFICATIONS: 'false', EMAIL_RATE_PER_SECOND: String(EMAIL_RATE) });
const apiOn = await listen((await buildApi(on.config, on.deps, pino({ level: 'warn' }))).app, '127.0.0.1', 0);
const apiOff = await listen((await buildApi(off.config, off.deps, pino({ level: 'warn' }))).app, '127.0.0.1', 0);
const urlOn = `http://127.0.0.1:${portOf(apiOn)}`;
const urlOff = `http://127.0.0.1:${portOf(apiOff)}`;

// The floor: the same script behind the least express can do.
const floor = await listenBidFloor(on.deps.store);

const seller = await signUp(urlOn, 'bench-seller');
// One at a time: two workers bundle their workflows meanwhile, and 40 password hashes at once on top
// of that starve the API's database connections on a small machine.
const users: Awaited<ReturnType<typeof signUp>>[] = [];
for (let i = 0; i < USERS; i++) users.push(await signUp(urlOn, `bench-${i}`));
const bearer = users.map((user) => ({ header: 'authorization', value: `Bearer ${user.token}` }));
const ids = users.map((user) => ({ header: 'x-user', value: user.id }));

async function freshAuction(apiUrl: string, endsInMs = 3600_000): Promise<string> {
  const created = await call<AuctionJson>(`${apiUrl}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Bench lot', startingPrice: 100, endsAt: new Date(Date.now() + endsInMs).toISOString() },
  });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  return created.body.id;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const perSecond = (r: BidLoadResult) => r.completed / r.elapsed;
const load = (url: string, users: typeof bearer, rate = 0) => runBidLoad(url, users, { rate, seconds, concurrency });
const out: string[] = [];

// --- 1. The bid route with outbid notifications on and off, beside the floor -------------------------
const ratios = { onFloor: [] as number[], offFloor: [] as number[], onOff: [] as number[] };
const rates = { floor: [] as number[], on: [] as number[], off: [] as number[] };
// CPU of this process (both APIs and the floor) per request: what the route itself costs, which the
// machine's drift and the worker's share of the two cores move far less than throughput.
const cpu = { floor: [] as number[], on: [] as number[], off: [] as number[] };
for (let pair = 0; pair < PAIRS; pair++) {
  const auctionFor = {
    floor: await freshAuction(urlOn),
    on: await freshAuction(urlOn),
    off: await freshAuction(urlOff),
  };
  const runs = {
    floor: () => load(`http://127.0.0.1:${portOf(floor)}/floor/${auctionFor.floor}`, ids),
    on: () => load(`${urlOn}/v1/auctions/${auctionFor.on}/bids`, bearer),
    off: () => load(`${urlOff}/v1/auctions/${auctionFor.off}/bids`, bearer),
  };
  // The order rotates each round, so the machine's drift does not favour one of them.
  const order = (['floor', 'on', 'off'] as const).map((_, i, all) => all[(i + pair) % all.length]!);
  const got: Partial<Record<'floor' | 'on' | 'off', number>> = {};
  for (const which of order) {
    const before = process.cpuUsage();
    const result = await runs[which]();
    const used = process.cpuUsage(before);
    cpu[which].push((used.user + used.system) / result.completed);
    got[which] = perSecond(result);
  }
  rates.floor.push(got.floor!);
  rates.on.push(got.on!);
  rates.off.push(got.off!);
  ratios.onFloor.push(got.on! / got.floor!);
  ratios.offFloor.push(got.off! / got.floor!);
  ratios.onOff.push(got.on! / got.off!);
}
out.push(
  `1. bid route flat out, ${USERS} users, one hot auction per run, ${seconds} s each, ${concurrency} in flight, ${PAIRS} rounds (Node ${process.version})`,
  `   req/s median: floor ${fmt(median(rates.floor))}, route notifications on ${fmt(median(rates.on))}, off ${fmt(median(rates.off))}`,
  `   CPU per request in the API process, median: floor ${fmt(median(cpu.floor))} µs, route on ${fmt(median(cpu.on))} µs, off ${fmt(median(cpu.off))} µs`,
  `   on ÷ floor ${ratios.onFloor.map((r) => fmt(r, 2)).join(' ')} (median ${fmt(median(ratios.onFloor), 2)}); off ÷ floor median ${fmt(median(ratios.offFloor), 2)}; on ÷ off ${ratios.onOff.map((r) => fmt(r, 2)).join(' ')} (median ${fmt(median(ratios.onOff), 2)})`,
);

// --- 2. Outbid latency at a fixed rate ---------------------------------------------------------------
{
  const auctionId = await freshAuction(urlOn);
  const arrivedAt = new Map<number, number>();
  const streams = users.map((user) => {
    const controller = new AbortController();
    const done = fetch(`${urlOn}/v1/users/me/events`, {
      headers: { authorization: `Bearer ${user.token}`, accept: 'text/event-stream' },
      signal: controller.signal,
    })
      .then((response) =>
        readSseEvents(response.body!, (event) => {
          if (event.event === 'notification') arrivedAt.set(Number(event.id), Date.now());
          return true;
        }),
      )
      .catch(() => false);
    return { controller, done };
  });
  // Rows visible in the inbox: polled every 10 ms, as the bid bench polls the bid rows.
  const storedAt = new Map<string, { id: number; at: number }>();
  let polling = true;
  const poller = (async () => {
    let after = 0;
    while (polling) {
      const { rows } = await on.deps.database.pool.query<{ id: string; dedupe_key: string }>(
        `SELECT id, dedupe_key FROM notifications WHERE auction_id = $1 AND type = 'outbid' AND id > $2 ORDER BY id`,
        [auctionId, after],
      );
      const now = Date.now();
      for (const row of rows) {
        storedAt.set(row.dedupe_key.split(':').pop()!, { id: Number(row.id), at: now });
        after = Number(row.id);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 500)); // streams open
  // Maxima drawn wide above the minimum, so most bids clear it even while answers lag: accepted bids at
  // the rate the target names (a bid under the leader's maximum is accepted without outbidding anyone).
  const result = await runBidLoad(`${urlOn}/v1/auctions/${auctionId}/bids`, bearer, {
    rate: OUTBID_RATE,
    seconds,
    concurrency,
    spread: 100_000,
  });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  polling = false;
  await poller;
  for (const stream of streams) stream.controller.abort();
  await Promise.all(streams.map((stream) => stream.done));
  const toInbox: number[] = [];
  const toStream: number[] = [];
  for (const [seq, ackAt] of result.acks) {
    const stored = storedAt.get(String(seq));
    if (!stored) continue; // this bid displaced nobody (the leader raised their own maximum)
    toInbox.push(stored.at - ackAt);
    const arrived = arrivedAt.get(stored.id);
    if (arrived !== undefined) toStream.push(arrived - ackAt);
  }
  out.push(
    `2. outbid latency at ${OUTBID_RATE} req/s offered: ${fmt(perSecond(result))} req/s answered (p99 ${fmt(result.p99)} ms, ${result.errors} errors), ${fmt(result.accepted / result.elapsed)} accepted bids/s, ${toInbox.length} outbids`,
    `   201 → inbox row: p50 ${fmt(percentile(toInbox, 0.5))} ms, p99 ${fmt(percentile(toInbox, 0.99))} ms, max ${fmt(Math.max(...toInbox))} ms (polled every 10 ms)`,
    `   201 → live stream: p50 ${fmt(percentile(toStream, 0.5))} ms, p99 ${fmt(percentile(toStream, 0.99))} ms, max ${fmt(Math.max(...toStream))} ms; ${toStream.length} of ${toInbox.length} arrived`,
  );
}

// --- 3. "Ending soon" to 10,000 watchers --------------------------------------------------------------
{
  // The default lead time is 15 minutes: the auction ends 15 minutes and a few seconds from now.
  const leadMs = 15 * 60_000;
  const auctionId = await freshAuction(urlOn, leadMs + 8000);
  const run = randomUUID();
  await on.deps.database.db.execute(sql`
    WITH fans AS (
      INSERT INTO users (email, display_name)
      SELECT 'fan' || g || '-' || ${run} || '@example.test', 'fan' || g FROM generate_series(1, ${WATCHERS}) g
      RETURNING id)
    INSERT INTO watchlist (user_id, auction_id) SELECT id, ${auctionId} FROM fans`);
  const row = await on.deps.database.pool.query<{ ends_at: Date }>('SELECT ends_at FROM auctions WHERE id = $1', [
    auctionId,
  ]);
  const moment = row.rows[0]!.ends_at.getTime() - leadMs;
  const count = async (query: string) =>
    Number((await on.deps.database.pool.query<{ n: string }>(query, [auctionId])).rows[0]!.n);
  const told = () =>
    count(`SELECT count(*) AS n FROM notifications WHERE auction_id = $1 AND type = 'auction_ending_soon'`);
  const sent = () =>
    count(
      `SELECT count(*) AS n FROM email_outbox o JOIN notifications n ON n.id = o.notification_id WHERE n.auction_id = $1 AND o.sent_at IS NOT NULL`,
    );
  let allAt = NaN;
  let firstAt = NaN;
  const deadline = moment + 60_000;
  while (Date.now() < deadline) {
    const n = await told();
    if (n > 0 && Number.isNaN(firstAt)) firstAt = Date.now();
    if (n >= WATCHERS) {
      allAt = Date.now();
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const history = await on.deps.temporal.workflow.getHandle(auctionWorkflowId(auctionId)).fetchHistory();
  const events = history.events?.length ?? 0;
  const sentBefore = await sent();
  const windowStart = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const drained = ((await sent()) - sentBefore) / ((Date.now() - windowStart) / 1000);
  out.push(
    `3. ending soon to ${WATCHERS} watchers: first inbox ${fmt((firstAt - moment) / 1000, 2)} s after the moment, all ${fmt((allAt - moment) / 1000, 2)} s after (${await told()} stored)`,
    `   the auction workflow's whole history so far: ${events} events (${fmt((events / WATCHERS) * 1000, 1)} per 1,000 recipients); the fan-out is one activity`,
    `   mail drained at ${fmt(drained, 1)}/s over 10 s, configured EMAIL_RATE_PER_SECOND=${EMAIL_RATE} in each of the two dispatchers (${2 * EMAIL_RATE}/s together)`,
  );
}

process.stdout.write(`${out.join('\n')}\n`);
await on.stop([apiOn, floor]);
await off.stop([apiOff]);
