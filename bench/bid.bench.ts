/**
 * Many users on one hot auction, through the real bid route (auth, validation, the Lua script, the
 * wake-up signal) with a real worker persisting to Postgres, beside the floor: a minimal express route
 * calling the same script, in the same process and run. Prints throughput, latency, accepted and
 * rejected bids, persistence lag (201 → row in Postgres), and the workflow's signals and history.
 */
import { pino } from 'pino';
import { buildApi } from '../api/build.js';
import { listen, portOf } from '../api/server.js';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import { call, signUp, type AuctionJson } from '../test/helpers/http.js';
import { rssMiB } from './load.js';
import { profiled, selfTimeDifference, topSelfTime } from './profile.js';
import { startBenchBackend } from './backend.js';
import { listenBidFloor, signalOnWake } from './bid-floor.js';
import { median, percentile, runBidLoad, type BidLoadResult } from './bid-runner.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONNECTIONS ?? 32);
const USERS = 40;

type LoadResult = BidLoadResult;
const runLoad = (url: string, users: { header: string; value: string }[], rate: number) =>
  runBidLoad(url, users, { rate, seconds, concurrency });

const { config, deps, stop } = await startBenchBackend();
const { app } = await buildApi(config, deps, pino({ level: 'warn' }));
const api = await listen(app, '127.0.0.1', 0);
const apiUrl = `http://127.0.0.1:${portOf(api)}`;

// The floor: the same script behind the least express can do (body parser, one call, an answer).
const floor = await listenBidFloor(deps.store);
// The same floor, plus the one thing the bid route triggers beyond it: the wake-up signal, and so the
// worker persisting to Postgres while the load runs.
const floorPersisting = await listenBidFloor(
  deps.store,
  signalOnWake({ temporal: deps.temporal, logger: pino({ level: 'warn' }) }),
);

const seller = await signUp(apiUrl, 'bench-seller');
// One at a time: 40 password hashes at once starve the API's database connections on a loaded machine
// (the sign-ups fail with 500s); bench/notifications.bench.ts does the same.
const users: Awaited<ReturnType<typeof signUp>>[] = [];
for (let i = 0; i < USERS; i++) users.push(await signUp(apiUrl, `bench-${i}`));
const bearer = users.map((user) => ({ header: 'authorization', value: `Bearer ${user.token}` }));
const ids = users.map((user) => ({ header: 'x-user', value: user.id }));

async function freshAuction(): Promise<string> {
  const created = await call<AuctionJson>(`${apiUrl}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Bench lot', startingPrice: 100, endsAt: new Date(Date.now() + 3600_000).toISOString() },
  });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** Polls Postgres while a run goes on, noting when each seq first became visible. */
function watchPersistence(auctionId: string) {
  const visibleAt = new Map<number, number>();
  let highest = 0;
  let stop = false;
  const done = (async () => {
    while (!stop) {
      const { rows } = await deps.database.pool.query<{ max: number | null }>(
        'SELECT max(seq) AS max FROM bids WHERE auction_id = $1',
        [auctionId],
      );
      const now = Date.now();
      for (let seq = highest + 1; seq <= (rows[0]?.max ?? 0); seq++) visibleAt.set(seq, now);
      highest = Math.max(highest, rows[0]?.max ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    async until(seq: number, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (highest < seq && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      stop = true;
      await done;
      return visibleAt;
    },
  };
}

interface Row {
  name: string;
  result: LoadResult;
  lagP50?: number;
  lagP99?: number;
  signalsPerSecond?: number;
  eventsPer1000?: number;
}

async function measureApi(name: string, rate: number): Promise<Row> {
  const auctionId = await freshAuction();
  const persistence = watchPersistence(auctionId);
  const result = await runLoad(`${apiUrl}/v1/auctions/${auctionId}/bids`, bearer, rate);
  const highestSeq = Math.max(0, ...result.acks.map(([seq]) => seq));
  const visibleAt = await persistence.until(highestSeq);
  const lags = result.acks.map(([seq, ackAt]) => (visibleAt.get(seq) ?? NaN) - ackAt).filter(Number.isFinite);
  const history = await deps.temporal.workflow.getHandle(auctionWorkflowId(auctionId)).fetchHistory();
  const events = history.events ?? [];
  const signals = events.filter((event) => event.workflowExecutionSignaledEventAttributes).length;
  return {
    name,
    result,
    lagP50: percentile(lags, 0.5),
    lagP99: percentile(lags, 0.99),
    signalsPerSecond: signals / result.elapsed,
    eventsPer1000: (events.length / Math.max(1, result.accepted)) * 1000,
  };
}

const floorResult = await runLoad(`http://127.0.0.1:${portOf(floor)}/floor/${await freshAuction()}`, ids, 0);
const peak = await profiled(process.env.BENCH_PROFILE, () => measureApi('bid route, flat out', 0));
const at1000 = await measureApi('bid route, 1,000 req/s', 1000);
// About two in three requests at a fixed rate are accepted bids, so this offers ~1,000 bids/s.
const bids1000 = await measureApi('bid route, 1,500 req/s', 1500);
const halfRate = Math.round(peak.result.completed / peak.result.elapsed / 2);
const half = await measureApi(`bid route, half peak (${halfRate}/s)`, halfRate);
// The floor at the same rate: how much of the tail is this machine's, not the route's.
const floorHalf = await runLoad(`http://127.0.0.1:${portOf(floor)}/floor/${await freshAuction()}`, ids, halfRate);
const floorPersistingHalf = await runLoad(
  `http://127.0.0.1:${portOf(floorPersisting)}/floor/${await freshAuction()}`,
  ids,
  halfRate,
);

// This machine's speed drifts by tens of percent between runs a minute apart (shared cores), so one
// floor run beside one route run says little. Alternating pairs, the order swapped each time, and the
// median ratio do: each pair's two runs are seconds apart.
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
// CPU per request in this process (the API's and the floor's) varies far less with the machine's
// drift than throughput does: what the route itself costs beyond the floor.
const pairRatios: number[] = [];
const cpuPerRequest = { floor: [] as number[], route: [] as number[] };
// BENCH_PROFILE_PAIRS=dir: a CPU profile of the first pair's two runs, and where the route's CPU goes beyond the floor's.
const pairProfiles: Partial<Record<'floor' | 'route', { file: string; requests: number }>> = {};
async function withCpu(which: 'floor' | 'route', run: () => Promise<LoadResult>): Promise<LoadResult> {
  const dir = process.env.BENCH_PROFILE_PAIRS;
  const file = dir && !pairProfiles[which] ? `${dir}/${which}.cpuprofile` : undefined;
  const before = process.cpuUsage();
  const result = await profiled(file, run);
  const used = process.cpuUsage(before);
  cpuPerRequest[which].push((used.user + used.system) / result.completed);
  if (file) pairProfiles[which] = { file, requests: result.completed };
  return result;
}
for (let pair = 0; pair < PAIRS; pair++) {
  const floorUrl = `http://127.0.0.1:${portOf(floor)}/floor/${await freshAuction()}`;
  const routeUrl = `${apiUrl}/v1/auctions/${await freshAuction()}/bids`;
  const runFloor = () => withCpu('floor', () => runLoad(floorUrl, ids, 0));
  const runRoute = () => withCpu('route', () => runLoad(routeUrl, bearer, 0));
  let floorRun: LoadResult;
  let routeRun: LoadResult;
  if (pair % 2 === 0) {
    floorRun = await runFloor();
    routeRun = await runRoute();
  } else {
    routeRun = await runRoute();
    floorRun = await runFloor();
  }
  pairRatios.push(routeRun.completed / routeRun.elapsed / (floorRun.completed / floorRun.elapsed));
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));
const throughput = (r: LoadResult) => r.completed / r.elapsed;
const lines = [
  `bid bench: ${USERS} users, one hot auction per run, ${seconds} s per run, ${concurrency} in flight (flat out), Node ${process.version}`,
  [
    'run'.padEnd(34),
    'req/s',
    'bids/s',
    '×floor',
    'p50 ms',
    'p99 ms',
    'accepted',
    'rejected',
    'errors',
    'lag p50',
    'lag p99',
    'signals/s',
    'events/1k bids',
  ].join('  '),
  ...[
    { name: 'floor: express + same Lua script', result: floorResult } as Row,
    peak,
    at1000,
    bids1000,
    half,
    { name: `floor at half peak (${halfRate}/s)`, result: floorHalf } as Row,
    { name: 'same, with signals (persisting)', result: floorPersistingHalf } as Row,
  ].map((row) =>
    [
      row.name.padEnd(34),
      fmt(throughput(row.result), 0).padStart(5),
      fmt(row.result.accepted / row.result.elapsed, 0).padStart(6),
      fmt(throughput(row.result) / throughput(floorResult), 2).padStart(6),
      fmt(row.result.p50).padStart(6),
      fmt(row.result.p99).padStart(6),
      String(row.result.accepted).padStart(8),
      String(row.result.rejected).padStart(8),
      String(row.result.errors).padStart(6),
      fmt(row.lagP50, 0).padStart(7),
      fmt(row.lagP99, 0).padStart(7),
      fmt(row.signalsPerSecond).padStart(9),
      fmt(row.eventsPer1000, 0).padStart(14),
    ].join('  '),
  ),
  `lag: ms from the 201 to the row being visible in Postgres (polled every 10 ms). RSS of the API process: ${rssMiB()} MiB`,
  `route ÷ floor flat out, ${PAIRS} alternating pairs: ${pairRatios.map((r) => fmt(r, 2)).join(' ')}; median ${fmt(median(pairRatios), 2)}`,
  `CPU of this process per request, median of the pairs: floor ${fmt(median(cpuPerRequest.floor), 0)} µs, route ${fmt(median(cpuPerRequest.route), 0)} µs (× ${fmt(median(cpuPerRequest.route) / median(cpuPerRequest.floor), 2)})`,
  '',
];
process.stdout.write(lines.join('\n'));
if (process.env.BENCH_PROFILE) {
  process.stdout.write(
    `\nCPU self time in this process during the flat-out run:\n${topSelfTime(process.env.BENCH_PROFILE).join('\n')}\n`,
  );
}

if (pairProfiles.route && pairProfiles.floor) {
  process.stdout.write(
    `\nSelf time, µs per request: route, floor, difference (largest first):\n${selfTimeDifference(pairProfiles.route, pairProfiles.floor).join('\n')}\n`,
  );
}

await stop([api, floor, floorPersisting]);
