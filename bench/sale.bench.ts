/**
 * Flash sales, through the real claim route (auth, validation, the terms cache, the claim script, the
 * wake-up signal) with a real worker writing the orders, beside the floor: a minimal express route
 * calling the same script and waking the sale workflow as the route does, in the same process. Both
 * leave the worker the same orders to write on the same two cores, and each run starts once the last
 * one's orders are written: a floor whose holds waited for the workflow's periodic look had its orders
 * written during whichever run came next, often the route's. Prints:
 *   - each token's first claim: rate and CPU per claim, with the token's verification in it;
 *   - the route flat out ÷ the floor, in alternating pairs, and the CPU per request of each;
 *   - the sale workflow's history events per 1,000 holds (the flat-out sales' thousands of holds);
 *   - the drop: 10,000 claims from 5,000 users on stock 100 (limit 2): time to sell out, latency,
 *     answers by code;
 *   - hold expiry: how long after its expiry each hold leaves Redis (p50, p99, max).
 */
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { count, eq } from 'drizzle-orm';
import express from 'express';
import { pino } from 'pino';
import { buildApi } from '../api/build.js';
import { signalClaimsPending } from '../api/sales/claims.js';
import { listen, portOf } from '../api/server.js';
import { orders } from '../db/settlement-schema.js';
import { saleWorkflowId } from '../domain/temporal-names.js';
import { saleKeys } from '../lua/sale-store.js';
import { crowd, crowdSigningKey } from '../test/helpers/crowd.js';
import { createSale } from '../test/helpers/flash-sales.js';
import { signUp } from '../test/helpers/http.js';
import { startBenchBackend } from './backend.js';
import { median, percentile } from './bid-runner.js';
import { rssMiB } from './load.js';
import { profiled, selfTimeDifference } from './profile.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 7);
const CROWD = 5000;
const EXPIRING_HOLDS = Number(process.env.BENCH_EXPIRING_HOLDS ?? 300);

interface ClaimLoad {
  completed: number;
  elapsed: number;
  byStatus: Record<string, number>;
  lastCreatedMs: number;
  p50: number;
  p99: number;
}
type Sender = { header: string; value: string; quantity?: number };
const loadScript = fileURLToPath(new URL('./claim-load.ts', import.meta.url));
async function runClaims(url: string, mode: 'flat' | 'burst', senders: Sender[], inFlight = concurrency) {
  const spec = JSON.stringify({ url, mode, senders, seconds, concurrency: inFlight });
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', loadScript], { maxBuffer: 64 * 1024 * 1024 });
  run.child.stdin?.end(spec);
  const { stdout } = await run;
  return JSON.parse(stdout) as ClaimLoad;
}

// The crowd's tokens must be the API's own: one signing key for both. Holds as short as a second, for
// the expiry figures.
const key = crowdSigningKey();
process.env.JWT_PRIVATE_KEY = key.privateKey;
process.env.SALES_MIN_HOLD_SECONDS = '1';
const { config, deps, stop } = await startBenchBackend();
const logger = pino({ level: 'warn' });
const { app } = await buildApi(config, deps, logger);
const api = await listen(app, '127.0.0.1', 0);
const apiUrl = `http://127.0.0.1:${portOf(api)}`;

// The floor: the same script behind the least express can do (body parser, one call, an answer).
const floorSignals = { temporal: deps.temporal, logger };
const floorApp = express();
floorApp.post('/floor/:id', express.json(), async (req, res) => {
  const result = await deps.sales.claim(String(req.params.id), {
    userId: String(req.get('x-user')),
    quantity: (req.body as { quantity: number }).quantity,
    orderId: randomUUID(),
    idempotencyKey: String(req.get('idempotency-key')),
    solution: null,
  });
  if (result.outcome === 'held') {
    // The same consequence as the route's claim: the hold that sets the wake flag wakes the sale
    // workflow, so the worker writes the floor's orders during the floor's own run.
    if (result.wake) signalClaimsPending(floorSignals, String(req.params.id), result.seq, result.holdExpiresAtMs);
    res.status(201).json({ orderId: result.orderId, holdExpiresAt: result.holdExpiresAtMs });
  } else res.status(409).json({ error: { code: result.outcome === 'refused' ? result.code : 'SALE_NOT_OPEN' } });
});
const floor = await listen(floorApp, '127.0.0.1', 0);

const seller = await signUp(apiUrl, 'bench-seller');
const people = await crowd(deps.database.db, key.privateKey, CROWD, 'bench-crowd');
const bearer: Sender[] = people.map((p) => ({ header: 'authorization', value: `Bearer ${p.token}` }));
const byId: Sender[] = people.map((p) => ({ header: 'x-user', value: p.id }));

/** A sale that stays open through a flat-out run: stock and limit far above what a run can claim. */
const bigSale = () => createSale(apiUrl, seller.token, { stock: 1_000_000, perUserLimit: 100, holdSeconds: 3600 });

const rate = (r: ClaimLoad) => r.completed / r.elapsed;
const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));

// --- First claims: each token's first request costs an ES256 verify, later ones hit the API's cache of
// verified tokens. A crowd's first claims, each token once, measured apart; the pairs below then see
// tokens already verified, as a drop does for everyone who watched the sale's stream before it opened.
const coldSale = await bigSale();
const coldCpu = process.cpuUsage();
const cold = await runClaims(`${apiUrl}/v1/sales/${coldSale.id}/claims`, 'burst', bearer);
const coldUsed = process.cpuUsage(coldCpu);
const coldCpuPerClaim = (coldUsed.user + coldUsed.system) / cold.completed;

// --- Flat out: alternating pairs, the order swapped each time (this machine's speed drifts).
const pairRatios: number[] = [];
const pairRates: string[] = [];
const routeRates: number[] = [];
const cpu = { floor: [] as number[], route: [] as number[] };
const routeSales: { id: string; held: number }[] = [];
let lastPair: { floor: ClaimLoad; route: ClaimLoad } | undefined;
// BENCH_PROFILE_PAIRS=dir: a CPU profile of the first pair's two runs, and where the route's CPU goes beyond the floor's.
const pairProfiles: Partial<Record<'floor' | 'route', { file: string; requests: number }>> = {};
async function withCpu(which: 'floor' | 'route', run: () => Promise<ClaimLoad>) {
  const dir = process.env.BENCH_PROFILE_PAIRS;
  const file = dir && !pairProfiles[which] ? `${dir}/${which}.cpuprofile` : undefined;
  const before = process.cpuUsage();
  const result = await profiled(file, run);
  const used = process.cpuUsage(before);
  cpu[which].push((used.user + used.system) / result.completed);
  if (file) pairProfiles[which] = { file, requests: result.completed };
  return result;
}
for (let pair = 0; pair < PAIRS; pair++) {
  const floorSale = await bigSale();
  const routeSale = await bigSale();
  const runFloor = () =>
    withCpu('floor', () => runClaims(`http://127.0.0.1:${portOf(floor)}/floor/${floorSale.id}`, 'flat', byId));
  const runRoute = () => withCpu('route', () => runClaims(`${apiUrl}/v1/sales/${routeSale.id}/claims`, 'flat', bearer));
  let floorRun: ClaimLoad;
  let routeRun: ClaimLoad;
  // Each run starts once the worker has written the previous run's orders: no run pays for another's.
  if (pair % 2 === 0) {
    floorRun = await runFloor();
    await drained(floorSale.id, floorRun);
    routeRun = await runRoute();
    await drained(routeSale.id, routeRun);
  } else {
    routeRun = await runRoute();
    await drained(routeSale.id, routeRun);
    floorRun = await runFloor();
    await drained(floorSale.id, floorRun);
  }
  pairRatios.push(rate(routeRun) / rate(floorRun));
  pairRates.push(`${fmt(rate(floorRun), 0)}/${fmt(rate(routeRun), 0)}`);
  routeRates.push(rate(routeRun));
  routeSales.push({ id: routeSale.id, held: routeRun.byStatus['201'] ?? 0 });
  lastPair = { floor: floorRun, route: routeRun };
}

// --- History: each route sale's runs counted (its orders are all written: drained above).
async function historyEvents(saleId: string): Promise<{ events: number; runs: number }> {
  let events = 0;
  let runs = 0;
  for await (const run of deps.temporal.workflow.list({ query: `WorkflowId = '${saleWorkflowId(saleId)}'` })) {
    const history = await deps.temporal.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    events += history.events?.length ?? 0;
    runs++;
  }
  return { events, runs };
}
const histories: { holds: number; events: number; runs: number }[] = [];
for (const sale of routeSales) {
  histories.push({ holds: sale.held, ...(await historyEvents(sale.id)) });
}

// --- The drop: 10,000 claims, each person twice, one or two units a time, 64 in flight.
const drop = await createSale(apiUrl, seller.token, { stock: 100, perUserLimit: 2, holdSeconds: 600 });
const dropSenders: Sender[] = Array.from({ length: 10_000 }, (_, i) => ({
  ...bearer[i % CROWD]!,
  quantity: 1 + ((i * 7919) % 2),
}));
const burst = await runClaims(`${apiUrl}/v1/sales/${drop.id}/claims`, 'burst', dropSenders, 64);

// --- Hold expiry: holds of 2 s, then Redis watched for when each one leaves its sorted set.
const expiring = await createSale(apiUrl, seller.token, { stock: EXPIRING_HOLDS, perUserLimit: 1, holdSeconds: 2 });
await runClaims(`${apiUrl}/v1/sales/${expiring.id}/claims`, 'burst', bearer.slice(0, EXPIRING_HOLDS), 8);
const delays = await watchExpiries(saleKeys(expiring.id).holds, 60_000);

async function ordersOf(saleId: string): Promise<number> {
  const [row] = await deps.database.db.select({ n: count() }).from(orders).where(eq(orders.saleId, saleId));
  return row?.n ?? 0;
}

/** Waits (2 minutes at most) until the worker has copied every hold of a run into an order. */
async function drained(saleId: string, run: ClaimLoad): Promise<void> {
  const held = run.byStatus['201'] ?? 0;
  const deadline = Date.now() + 120_000;
  while ((await ordersOf(saleId)) < held && Date.now() < deadline) await pause(200);
}

function pause(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls the holds' sorted set every 10 ms; a hold's delay is when it was first seen gone, less its expiry. */
async function watchExpiries(holdsKey: string, timeoutMs: number): Promise<number[]> {
  const expiry = new Map<string, number>();
  const found: number[] = [];
  const deadline = Date.now() + timeoutMs;
  for (let first = true; Date.now() < deadline; first = false) {
    const flat = await deps.redis.zrange(holdsKey, 0, -1, 'WITHSCORES');
    const now = Date.now();
    const present = new Set<string>();
    for (let i = 0; i < flat.length; i += 2) {
      present.add(flat[i]!);
      if (first) expiry.set(flat[i]!, Number(flat[i + 1]));
    }
    for (const [order, at] of expiry) {
      if (present.has(order)) continue;
      found.push(now - at);
      expiry.delete(order);
    }
    if (expiry.size === 0) break;
    await pause(10);
  }
  return found;
}

const codes = (r: ClaimLoad) =>
  Object.entries(r.byStatus)
    .map(([code, n]) => `${code === '0' ? 'no answer' : code}: ${n}`)
    .join(', ');
const totalHolds = histories.reduce((sum, h) => sum + h.holds, 0);
const totalEvents = histories.reduce((sum, h) => sum + h.events, 0);
const lines = [
  `sale bench: ${CROWD} users, ${seconds} s per flat-out run, ${concurrency} in flight, Node ${process.version}`,
  `last pair: floor ${fmt(rate(lastPair!.floor), 0)} claims/s (p50 ${fmt(lastPair!.floor.p50)} ms, p99 ${fmt(lastPair!.floor.p99)} ms; ${codes(lastPair!.floor)}), route ${fmt(rate(lastPair!.route), 0)} claims/s (p50 ${fmt(lastPair!.route.p50)} ms, p99 ${fmt(lastPair!.route.p99)} ms; ${codes(lastPair!.route)})`,
  `route ÷ floor flat out, ${PAIRS} alternating pairs: ${pairRatios.map((r) => fmt(r, 2)).join(' ')}; median ${fmt(median(pairRatios), 2)}`,
  `  claims/s of each pair, floor/route: ${pairRates.join(' ')}`,
  `route flat out, median of the pairs: ${fmt(median(routeRates), 0)} claims/s on this machine's ${cpus().length} cores (${fmt(median(routeRates) / cpus().length, 0)} per core), the whole stack on them`,
  `CPU of this process per claim, median of the pairs: floor ${fmt(median(cpu.floor), 0)} µs, route ${fmt(median(cpu.route), 0)} µs (× ${fmt(median(cpu.route) / median(cpu.floor), 2)})`,
  `each token's first claim (${CROWD} claims, ${concurrency} in flight): ${fmt(rate(cold), 0)} claims/s, p50 ${fmt(cold.p50)} ms, p99 ${fmt(cold.p99)} ms; CPU of this process ${fmt(coldCpuPerClaim, 0)} µs per claim (${codes(cold)})`,
  `sale workflow history: ${totalEvents} events over ${histories.reduce((s, h) => s + h.runs, 0)} runs for ${totalHolds} holds = ${fmt((totalEvents / Math.max(1, totalHolds)) * 1000, 1)} events per 1,000 holds (${histories.map((h) => `${h.holds} holds: ${h.events} events, ${h.runs} runs`).join('; ')})`,
  `the drop (10,000 claims, ${CROWD} users, stock 100, limit 2, 64 in flight): sold out (last 201) after ${fmt(burst.lastCreatedMs, 0)} ms; all answered in ${fmt(burst.elapsed * 1000, 0)} ms (${fmt(rate(burst), 0)} claims/s); p50 ${fmt(burst.p50)} ms, p99 ${fmt(burst.p99)} ms; ${codes(burst)}`,
  `hold expiry (${EXPIRING_HOLDS} holds of 2 s; Redis polled every 10 ms): ${delays.length} released; delay after expiry p50 ${fmt(percentile(delays, 0.5), 0)} ms, p99 ${fmt(percentile(delays, 0.99), 0)} ms, max ${fmt(Math.max(...delays), 0)} ms`,
  `RSS of the API process: ${rssMiB()} MiB`,
  '',
];
process.stdout.write(lines.join('\n'));
if (pairProfiles.route && pairProfiles.floor) {
  process.stdout.write(
    `\nSelf time, µs per claim: route, floor, difference (largest first):\n${selfTimeDifference(pairProfiles.route, pairProfiles.floor).join('\n')}\n`,
  );
}

await stop([api, floor]);
