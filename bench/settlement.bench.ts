/**
 * What settlement costs, on the real stack (API and worker, Temporal, Postgres, Redis, stripe-mock):
 *   1. the workflow history of a settled auction (the auction's and its settlement's): events,
 *      activities and workflow tasks, for a sale paid on time and for one left unpaid, expired and sold
 *      to the runner-up by a second-chance offer, accepted and paid;
 *   2. the Stripe webhook's throughput and latency at a fixed number of connections, with first-time
 *      payments of distinct orders (each signals its live settlement) and repeats of events already
 *      applied, beside two floors in rotating rounds: a bare express route checking the same signature
 *      over the same bodies, and the same route also sending the one signal the webhook sends;
 *   3. what an auction's history grows by while it is open.
 * Every figure is printed with the machine's load average: on a shared machine the ratios to the floor
 * measured in the same run are what count.
 */
import os from 'node:os';
import { pino } from 'pino';
import { buildApi } from '../api/build.js';
import { listen, portOf } from '../api/server.js';
import { auctionWorkflowId, settlementWorkflowId } from '../domain/temporal-names.js';
import { call, signUp, type AuctionJson } from '../test/helpers/http.js';
import type { User } from '../test/helpers/settlement.js';
import { startBenchBackend } from './backend.js';
import { profiled, topSelfTime } from './profile.js';
import { median } from './bid-runner.js';
import { paidOnTime, unpaidThenSecondChance, type SaleContext } from './settlement-sales.js';
import { paidCheckoutSession, STRIPE_WEBHOOK_PATH } from '../scripts/stripe-events.js';
import { FLOOR_PATH, SIGNALLING_FLOOR_PATH, startWebhookFloor } from './webhook-floor.js';
import { openOrders, untilCount } from './webhook-orders.js';
import { perSecond, runWebhookLoad, signRequests, type WebhookLoadResult } from './webhook-runner.js';
import { untilIdle } from './worker-idle.js';
import { historyCounts, summariseCounts, type HistoryCounts } from './workflow-history.js';

const SALES = Number(process.env.BENCH_SALES ?? 10);
const WINDOW_SECONDS = Number(process.env.BENCH_PAYMENT_WINDOW_SECONDS ?? 5);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REPEAT_SHARE = Number(process.env.BENCH_REPEAT_SHARE ?? 0.5);
const WARMUP = Number(process.env.BENCH_WEBHOOK_WARMUP ?? 500);
const PROFILE = process.env.BENCH_PROFILE;

// The API refuses payment windows under SETTLEMENT_MIN_WINDOW_SECONDS (an hour by default): lowered, so
// an unpaid order expires within the run.
process.env.SETTLEMENT_MIN_WINDOW_SECONDS ??= '1';

const { config, deps, worker, stop } = await startBenchBackend();
const { app } = await buildApi(config, deps, pino({ level: 'warn' }));
const api = await listen(app, '127.0.0.1', 0);
const apiUrl = `http://127.0.0.1:${portOf(api)}`;
const auctionOfOrder = new Map<string, string>();
const floor = await startWebhookFloor(config.STRIPE_WEBHOOK_SECRET, {
  temporal: deps.temporal,
  auctionOf: (orderId) => auctionOfOrder.get(orderId),
});

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const load = () =>
  `load ${os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
// Printed as they come: the whole run takes minutes.
const say = (...lines: string[]) => process.stdout.write(`${lines.join('\n')}\n`);
say(`settlement bench: Node ${process.version}, ${os.cpus().length} cores, ${load()} at the start`);

// One at a time: password hashes at once starve the API's database connections on a small machine.
const signUps = async (name: string, n: number) => {
  const users: User[] = [];
  for (let i = 0; i < n; i++) users.push(await signUp(apiUrl, `${name}-${i}`));
  return users;
};
const [seller, runnerUp, payer, webhookSeller, webhookBuyer] = await signUps('bench', 5);
// Each unpaid order is a strike, and two block their buyer's bids: every unpaid sale has its own winner.
const defaulters = await signUps('defaulter', SALES);

// An auction left open, without bids, for the whole run: what an auction's history grows by while it is
// open (a periodic persist cycle), which the short auctions below close too soon to show.
const idle = await call<AuctionJson>(`${apiUrl}/v1/auctions`, {
  token: seller!.token,
  body: { title: 'Bench lot, open', startingPrice: 1000, endsAt: new Date(Date.now() + 3600_000).toISOString() },
});
if (idle.status !== 201) throw new Error(`create failed: ${JSON.stringify(idle.body)}`);
await new Promise((resolve) => setTimeout(resolve, 2000)); // opened, its "ending soon" moments said
const idleFrom = { at: Date.now(), counts: await historyCounts(deps.temporal, auctionWorkflowId(idle.body.id)) };

// --- 1. History per settled auction -------------------------------------------------------------------
const ctx: SaleContext = {
  apiUrl,
  pool: deps.database.pool,
  temporal: deps.temporal,
  seller: seller!,
  webhookSecret: config.STRIPE_WEBHOOK_SECRET,
  runnerUp: runnerUp!,
};
const paths = [
  { name: 'paid on time', ids: await Promise.all(range(SALES).map(() => paidOnTime(ctx, payer!))) },
  {
    name: `unpaid (${WINDOW_SECONDS} s window) + offer`,
    ids: await Promise.all(range(SALES).map((i) => unpaidThenSecondChance(ctx, defaulters[i]!, WINDOW_SECONDS))),
  },
];
const both = (a: HistoryCounts, b: HistoryCounts): HistoryCounts => ({
  events: a.events + b.events,
  bytes: a.bytes + b.bytes,
  activities: a.activities + b.activities,
  localActivities: a.localActivities + b.localActivities,
  workflowTasks: a.workflowTasks + b.workflowTasks,
  byType: new Map(),
});
const cell = (s: { mean: number; max: number }) => `${fmt(s.mean, 1)} / ${s.max}`.padStart(12);
const kib = (s: { mean: number; max: number }) => `${fmt(s.mean / 1024, 1)} / ${fmt(s.max / 1024, 1)}`.padStart(12);
say(
  `1. workflow history per settled auction, ${SALES} auctions per path run side by side (mean / max), ${load()}`,
  `   ${'path'.padEnd(30)} ${'workflow'.padEnd(10)} ${'events'.padStart(12)} ${'KiB'.padStart(12)} ${'activities'.padStart(12)} ${'local acts'.padStart(12)} ${'wf tasks'.padStart(12)}`,
);
const breakdowns: string[] = [];
for (const path of paths) {
  const auction = await Promise.all(path.ids.map((id) => historyCounts(deps.temporal, auctionWorkflowId(id))));
  const settlement = await Promise.all(path.ids.map((id) => historyCounts(deps.temporal, settlementWorkflowId(id))));
  const rows = [
    ['auction', summariseCounts(auction)],
    ['settlement', summariseCounts(settlement)],
    ['both', summariseCounts(auction.map((a, i) => both(a, settlement[i]!)))],
  ] as const;
  rows.forEach(([workflow, s], i) =>
    say(
      `   ${(i === 0 ? path.name : '').padEnd(30)} ${workflow.padEnd(10)} ${cell(s.events)} ${kib(s.bytes)} ${cell(s.activities)} ${cell(s.localActivities)} ${cell(s.workflowTasks)}`,
    ),
  );
  for (const [workflow, s] of rows.slice(0, 2)) {
    breakdowns.push(`   ${path.name}, ${workflow}: ${s.byType.map((t) => `${t.type} ${fmt(t.mean, 1)}`).join(', ')}`);
  }
}
say('   events by type (mean per workflow):', ...breakdowns);

// --- 2. The webhook beside its floors ----------------------------------------------------------------
// The webhook's parties take no mail, so the mail dispatcher (paced at EMAIL_RATE_PER_SECOND) is not
// still sending the last run's mail through the next one: the worker goes quiet between runs.
for (const user of [webhookSeller!, webhookBuyer!]) {
  await call(`${apiUrl}/v1/users/me/notification-settings`, {
    method: 'PUT',
    token: user.token,
    body: { channels: { email: [] } },
  });
}
const routeUrl = `${apiUrl}${STRIPE_WEBHOOK_PATH}`;
const floorUrl = `http://127.0.0.1:${portOf(floor)}${FLOOR_PATH}`;
const signallingUrl = `http://127.0.0.1:${portOf(floor)}${SIGNALLING_FLOOR_PATH}`;
const parties = { sellerId: webhookSeller!.id, buyerId: webhookBuyer!.id };
const orderDeps = { pool: deps.database.pool, temporal: deps.temporal, config };
async function open(count: number) {
  const orders = await openOrders(orderDeps, parties, count);
  for (const order of orders) auctionOfOrder.set(order.id, order.auctionId);
  return orders.map((order) => paidCheckoutSession(order));
}
let paidSoFar = 0;
/** Until the worker has finished every settlement paid so far (each tells its buyer). */
async function drained(): Promise<number> {
  const started = Date.now();
  await untilCount(deps.database.pool, webhookBuyer!.id, 'order_paid', paidSoFar);
  return (Date.now() - started) / 1000;
}
/**
 * Posts `events` (signed first) to `url`, each once in order or cycling for `seconds`, once the worker
 * is idle; with the CPU this process (the API and the floors) spent per request.
 */
async function measured(
  url: string,
  events: object[],
  { once = false, profile }: { once?: boolean; profile?: string },
) {
  await untilIdle(worker.process.pid);
  const file = signRequests(events, config.STRIPE_WEBHOOK_SECRET);
  const options = once ? { connections, amount: events.length } : { connections, seconds };
  const before = process.cpuUsage();
  const result = await profiled(profile, () => runWebhookLoad(url, file, options));
  const used = process.cpuUsage(before);
  return { result, cpuMicros: (used.user + used.system) / result.requests, load: load() };
}
const outcomes = (r: WebhookLoadResult) =>
  Object.entries(r.outcomes)
    .map(([outcome, n]) => `${outcome} ${n}`)
    .join(', ');
const figures = (r: WebhookLoadResult) =>
  `${fmt(perSecond(r)).padStart(5)} req/s, p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms, max ${fmt(r.max)} ms`;

// Warm-up, also a figure: first-time payments only, each order once. Its rate sizes the runs after it.
const openedStart = Date.now();
const applied = await open(WARMUP);
const openSeconds = (Date.now() - openedStart) / 1000;
const warm = await measured(routeUrl, applied, { once: true });
paidSoFar += warm.result.outcomes.paid ?? 0;
const warmDrain = await drained();
say(
  `2. webhook POST ${STRIPE_WEBHOOK_PATH}, ${connections} connections, signed checkout.session.completed events (${WARMUP} orders and their settlements made in ${fmt(openSeconds, 1)} s)`,
  `   first-time payments only, ${WARMUP} distinct orders: ${figures(warm.result)}; ${outcomes(warm.result)}; worker done ${fmt(warmDrain, 1)} s after the run (${fmt(WARMUP / (warm.result.seconds + warmDrain), 1)} settlements paid/s end to end); ${warm.load}`,
);

const perRun = Math.max(500, Math.round(perSecond(warm.result) * seconds));
const isRepeat = (i: number) => Math.floor((i + 1) * REPEAT_SHARE) > Math.floor(i * REPEAT_SHARE);
const newPerRun = range(perRun).filter((i) => !isRepeat(i)).length;
const fresh = await open(ROUNDS * newPerRun);
// Orders never paid, whose settlements the signalling floor tells again and again (each one reads its
// order and waits on): what the route's first signal to a live settlement costs, without the route.
const sinks = await open(newPerRun);
say(
  `   ${ROUNDS} rounds, the order rotating: the route and the signalling floor ${perRun} requests each, once each (${newPerRun} first-time payments, the rest repeats of applied events, interleaved), the floor ${seconds} s over the same bodies`,
);
const kinds = ['floor', 'floor + signal', 'route'] as const;
type Kind = (typeof kinds)[number];
const rates: Record<Kind, number[]> = { floor: [], 'floor + signal': [], route: [] };
const p99s: Record<Kind, number[]> = { floor: [], 'floor + signal': [], route: [] };
const cpu: Record<Kind, number[]> = { floor: [], 'floor + signal': [], route: [] };
const ratios = { floor: [] as number[], signalling: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  const newOnes = fresh.slice(round * newPerRun, (round + 1) * newPerRun);
  const mix = (firstTime: object[]) => {
    let n = 0;
    return range(perRun).map((i) => (isRepeat(i) ? applied[(round * perRun + i) % applied.length]! : firstTime[n++]!));
  };
  const events = mix(newOnes);
  let drain = 0;
  const runs: Record<Kind, () => ReturnType<typeof measured>> = {
    floor: () => measured(floorUrl, events, {}),
    'floor + signal': () => measured(signallingUrl, mix(sinks), { once: true }),
    route: async () => {
      // BENCH_PROFILE=file: a CPU profile of this process during the first round's route run.
      const run = await measured(routeUrl, events, { once: true, profile: round === 0 ? PROFILE : undefined });
      paidSoFar += run.result.outcomes.paid ?? 0;
      drain = await drained();
      return run;
    },
  };
  // The order rotates each round, so the machine's drift does not favour one of them.
  const got: Partial<Record<Kind, Awaited<ReturnType<typeof measured>>>> = {};
  for (const kind of kinds.map((_, i) => kinds[(i + round) % kinds.length]!)) got[kind] = await runs[kind]();
  applied.push(...newOnes);
  for (const kind of kinds) {
    rates[kind].push(perSecond(got[kind]!.result));
    p99s[kind].push(got[kind]!.result.p99);
    cpu[kind].push(got[kind]!.cpuMicros);
  }
  ratios.floor.push(perSecond(got.route!.result) / perSecond(got.floor!.result));
  ratios.signalling.push(perSecond(got.route!.result) / perSecond(got['floor + signal']!.result));
  say(
    ...kinds.map(
      (kind, i) =>
        `   ${i === 0 ? `round ${round + 1}:` : '        '} ${kind.padEnd(14)} ${figures(got[kind]!.result)} (${outcomes(got[kind]!.result)}; ${got[kind]!.load})${kind === 'route' ? `; worker done ${fmt(drain, 1)} s after` : ''}`,
    ),
    `            route ÷ floor ${fmt(ratios.floor[round]!, 3)}, route ÷ (floor + signal) ${fmt(ratios.signalling[round]!, 2)}`,
  );
}
say(
  `   medians of ${ROUNDS} rounds: ${kinds.map((kind) => `${kind} ${fmt(median(rates[kind]))} req/s (p99 ${fmt(median(p99s[kind]), 1)} ms)`).join(', ')}`,
  `   route ÷ floor ${ratios.floor.map((r) => fmt(r, 3)).join(' ')}, median ${fmt(median(ratios.floor), 3)}; route ÷ (floor + signal) median ${fmt(median(ratios.signalling), 2)}`,
  `   CPU of this process per request, median: ${kinds.map((kind) => `${kind} ${fmt(median(cpu[kind]))} µs`).join(', ')}; ${load()} at the end`,
);

// --- 3. An open auction's history over the run -------------------------------------------------------
{
  const counts = await historyCounts(deps.temporal, auctionWorkflowId(idle.body.id));
  const hours = (Date.now() - idleFrom.at) / 3600_000;
  const perHour = (n: number, from: number) => fmt((n - from) / hours);
  say(
    `3. an open auction without bids, over ${fmt(hours * 60, 1)} minutes of this run: per hour open, ${perHour(counts.events, idleFrom.counts.events)} events (${fmt((counts.bytes - idleFrom.counts.bytes) / hours / 1024)} KiB), ${perHour(counts.localActivities, idleFrom.counts.localActivities)} local activities, ${perHour(counts.workflowTasks, idleFrom.counts.workflowTasks)} workflow tasks (${counts.events} events in its history so far)`,
  );
}

if (PROFILE) say(`CPU self time in this process during the first route run:`, ...topSelfTime(PROFILE));

await stop([api, floor]);
