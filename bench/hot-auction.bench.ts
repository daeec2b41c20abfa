/**
 * One hot auction across API processes: bids flat out through the real bid route, from a load generator
 * in its own process (bench/bid-load.ts), to the API started as deployed (api/main.ts) with
 * API_PROCESSES=1, then 2, against one stack and one worker. Beside it, in the same run, the floor: bare
 * express + express.json() calling the same Lua script (as bench/bid.bench.ts), in this process.
 *
 * Per run, the CPU each party spent per request, read from outside over the run alone: the API (the
 * primary and its workers, /proc), Redis (INFO cpu, its main thread apart), the worker persisting the
 * bids, the generator (its own account) and the whole machine. From Redis's CPU per request: the
 * requests one Redis shard can take (its main thread runs every script, one at a time), and the API
 * cores it can feed; then a projection to more processes until Redis saturates.
 *
 * Two mixes of bids (BENCH_MIXES): `refused`, amounts drawn near the minimum so most are too low (a crowd
 * on one lot), and `accepted`, maxima rising by a fixed step so nearly every bid is accepted (and signals
 * the workflow and is persisted). Each round measures the floor and one API process on each mix, then
 * the other process counts on the refused mix; the summary gives the route ÷ floor ratios per round and
 * their median, as one pair on this shared machine can be off by a fifth either way.
 *
 * Each round also runs one API process with tracing on for each share of BENCH_TRACING_RATIOS (1,0.01:
 * every request sampled, then 1 %; BENCH_TRACING=0 for none), its spans sent over OTLP/HTTP to a sink in
 * this process that reads and drops them: tracing's cost on the route.
 *
 * On the refused mix each round also runs the floor after a call through this process's Temporal client
 * (as the API makes at its first readiness check): the client keeps its call context in an
 * AsyncLocalStorage, and from its first use on, Node 20 runs every promise of the process through async
 * hooks, which Node 24 (the Docker image's) does without (AsyncContextFrame). The accepted mix's floor
 * signals the workflow on a wake, as the route does, so it uses the client too.
 */
import http from 'node:http';
import os from 'node:os';
import { Connection } from '@temporalio/client';
import { Cluster } from 'ioredis';
import { pino } from 'pino';
import { portOf } from '../api/server.js';
import { spawnApi, type ApiProcess } from '../test/helpers/api-process.js';
import { call, signUp, type AuctionJson } from '../test/helpers/http.js';
import { newEs256PrivateKeyPem } from '../test/helpers/jwt.js';
import { deployedApiEnv, startBenchBackend } from './backend.js';
import { listenBidFloor, signalOnWake } from './bid-floor.js';
import { median, runBidLoad, type BidLoadOptions, type BidLoadResult } from './bid-runner.js';
import { childPids, machineBusyMicros, processCpuMicros, redisCpuMicros, treeCpuMicros, type RedisCpu } from './cpu.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONNECTIONS ?? 32);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const processCounts = (process.env.BENCH_API_PROCESSES ?? '1,2').split(',').map(Number);
/** The shares of requests a traced API samples (OTEL_TRACES_SAMPLER_ARG of parentbased_traceidratio), a run each. */
const tracingRatios =
  process.env.BENCH_TRACING === '0' ? [] : (process.env.BENCH_TRACING_RATIOS ?? '1,0.01').split(',').map(Number);
/** Load before each measured run, on an auction of its own (not reported). */
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 2);
/**
 * Before a server's first measured run: long enough for V8 to compile its hot code to its top tier. With
 * 2 s only, the API (far more code per request than the floor) was still getting faster over the first
 * rounds, which counted against it.
 */
const FIRST_WARM_UP_SECONDS = Number(process.env.BENCH_FIRST_WARM_UP_SECONDS ?? 10);
const MIXES = ['refused', 'accepted'] as const;
type Mix = (typeof MIXES)[number];
const mixes = (process.env.BENCH_MIXES ?? MIXES.join(',')).split(',').map((name) => {
  const mix = MIXES.find((known) => known === name.trim());
  if (!mix) throw new Error(`BENCH_MIXES: unknown mix ${name} (${MIXES.join(', ')})`);
  return mix;
});
// The other process counts, tracing and the projection run the refused mix: a crowd on one lot.
if (!mixes.includes('refused')) throw new Error('BENCH_MIXES must include refused');
/** A step of five top increments: every bid's maximum is above the one before, even out of order. */
const ACCEPTED_STEP = 50_000;
const STARTING_PRICE = 100;

const USERS = 40;

const { config, deps, worker, stop } = await startBenchBackend();
if (deps.redis instanceof Cluster)
  throw new Error('this bench reads one Redis server (INFO cpu): run it without GAVEL_REDIS=cluster');

// --- The floor, in this process: the same script behind the least express can do. ---
/**
 * On the accepted mix the floor signals the workflow on a wake, as the route does, so the worker persists
 * its bids as promptly (a floor that never signals leaves them to the periodic persist, which then lands
 * in the route's run).
 */
let floorSignals = false;
const signalWake = signalOnWake({ temporal: deps.temporal, logger: pino({ level: 'warn' }) });
const floor = await listenBidFloor(deps.store, (auctionId, decision) => {
  if (floorSignals) signalWake(auctionId, decision);
});

/**
 * The Temporal client keeps each call's context in an AsyncLocalStorage; on Node 20 one in use runs every
 * promise of the process through async hooks (Node 24 carries it without). After a floor run that used the
 * client, it is set aside again, so the next plain floor runs as the floor always has: without them.
 */
function setTemporalContextAside(): void {
  const connection = deps.temporal.connection;
  if (connection instanceof Connection) connection.callContextStorage.disable();
}

// --- Where a traced API sends its spans: read and dropped, as a collector that keeps up would. ---
const otlpSink = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
});
await new Promise<void>((resolve) => otlpSink.listen(0, '127.0.0.1', resolve));

// --- The API as deployed, N processes; every start shares one signing key, so the users' tokens hold. ---
const jwtKey = newEs256PrivateKeyPem();
/** The sampled share of the API running now; null when its tracing is off. */
let apiTraced: number | null = null;
async function startApi(processes: number, traced: number | null = null): Promise<ApiProcess> {
  apiTraced = traced;
  return spawnApi({
    ...(traced !== null
      ? {
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${portOf(otlpSink)}`,
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: String(traced),
        }
      : {}),
    ...(await deployedApiEnv(config, processes)),
    JWT_PRIVATE_KEY: jwtKey,
  });
}
async function stopApi(api: ApiProcess): Promise<void> {
  api.process.kill('SIGTERM');
  await api.exited;
}

let api = await startApi(1);
const seller = await signUp(api.url, 'bench-seller');
const users: Awaited<ReturnType<typeof signUp>>[] = [];
for (let i = 0; i < USERS; i++) users.push(await signUp(api.url, `bench-${i}`));
const bearer = users.map((user) => ({ header: 'authorization', value: `Bearer ${user.token}` }));
const ids = users.map((user) => ({ header: 'x-user', value: user.id }));

async function freshAuction(apiUrl: string): Promise<string> {
  const created = await call<AuctionJson>(`${apiUrl}/v1/auctions`, {
    token: seller.token,
    body: { title: 'Hot lot', startingPrice: STARTING_PRICE, endsAt: new Date(Date.now() + 3600_000).toISOString() },
  });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  return created.body.id;
}

// --- A run: flat out on a fresh auction, each party's CPU read as the generator starts and ends. ---
interface Run {
  name: string;
  mix: Mix;
  /** The floor after a call through this process's Temporal client. */
  temporalInUse?: boolean;
  processes: number;
  /** The sampled share with tracing on; null with it off. */
  traced: number | null;
  result: BidLoadResult;
  /** µs per request. */
  api: number;
  redis: number;
  redisMain: number | null;
  worker: number;
  generator: number;
  machine: number;
  /** Cores busy over the run: the machine's, and Redis's main thread's. */
  machineCores: number;
  redisMainCores: number | null;
}

interface Snapshot {
  api: number;
  worker: number;
  machine: number;
  at: number;
  redis: Promise<RedisCpu>;
}

/** The load of one mix on one auction: how the generator draws its amounts. */
function mixLoad(mix: Mix): Pick<BidLoadOptions, 'ladder'> {
  return mix === 'accepted' ? { ladder: { from: STARTING_PRICE, step: ACCEPTED_STEP } } : {};
}

async function measure(
  name: string,
  mix: Mix,
  processes: number,
  traced: number | null,
  url: string,
  headers: { header: string; value: string }[],
  apiPids: number[],
): Promise<Run> {
  const snapshot = (): Snapshot => ({
    api: treeCpuMicros(apiPids),
    worker: processCpuMicros(worker.process.pid!),
    machine: machineBusyMicros(),
    at: performance.now(),
    redis: redisCpuMicros(deps.redis),
  });
  let before: Snapshot | undefined;
  const result = await runBidLoad(url, headers, {
    rate: 0,
    seconds,
    concurrency,
    onStart: () => (before = snapshot()),
    ...mixLoad(mix),
  });
  const after = snapshot();
  if (!before) throw new Error('the generator never said it started');
  const [redisBefore, redisAfter] = await Promise.all([before.redis, after.redis]);
  const per = (micros: number) => micros / result.completed;
  const wallMicros = (after.at - before.at) * 1000;
  const redisMain =
    redisAfter.mainThread === null || redisBefore.mainThread === null
      ? null
      : redisAfter.mainThread - redisBefore.mainThread;
  return {
    name,
    mix,
    processes,
    traced,
    result,
    api: per(after.api - before.api),
    redis: per(redisAfter.total - redisBefore.total),
    redisMain: redisMain === null ? null : per(redisMain),
    worker: per(after.worker - before.worker),
    generator: per(result.cpuMicros),
    machine: per(after.machine - before.machine),
    machineCores: (after.machine - before.machine) / wallMicros,
    redisMainCores: redisMain === null ? null : redisMain / wallMicros,
  };
}

const apiPidsOf = (started: ApiProcess) => [started.process.pid!, ...childPids(started.process.pid!)];

/** The servers that have had their first, longer warm-up. */
const warmed = new WeakSet<object>();

/** Load not reported, on an auction of its own: the JIT, and time for every worker of a cluster to listen. */
async function warmUp(server: object, url: string, headers: { header: string; value: string }[], mix: Mix) {
  const first = !warmed.has(server);
  warmed.add(server);
  await runBidLoad(url, headers, {
    rate: 0,
    seconds: first ? FIRST_WARM_UP_SECONDS : WARM_UP_SECONDS,
    concurrency,
    ...mixLoad(mix),
  });
}

async function measureRoute(processes: number, mix: Mix, traced: number | null = null): Promise<Run> {
  const running = apiPidsOf(api).length === (processes === 1 ? 1 : processes + 1) && apiTraced === traced;
  if (api.process.exitCode !== null || !running) {
    await stopApi(api);
    api = await startApi(processes, traced);
  }
  const bids = async () => `${api.url}/v1/auctions/${await freshAuction(api.url)}/bids`;
  await warmUp(api, await bids(), bearer, mix);
  const name = `bid route, API_PROCESSES=${processes}${traced === null ? '' : `, traced ${traced * 100} %`}`;
  return measure(name, mix, processes, traced, await bids(), bearer, apiPidsOf(api));
}

/**
 * `temporalInUse`: after a real call through this process's client, as the API's first readiness check
 * makes, so its context storage is in use as in the API. The accepted mix's floor uses the client too, for
 * its signals.
 */
async function measureFloor(mix: Mix, temporalInUse = false): Promise<Run> {
  const url = async () => `http://127.0.0.1:${portOf(floor)}/floor/${await freshAuction(api.url)}`;
  floorSignals = mix === 'accepted';
  try {
    if (temporalInUse) {
      await deps.temporal.connection.withDeadline(Date.now() + 10_000, () =>
        deps.temporal.workflowService.getSystemInfo({}),
      );
    }
    await warmUp(floor, await url(), ids, mix);
    const name = temporalInUse ? 'floor, Temporal client in use' : 'floor: express + same Lua script';
    const run = await measure(name, mix, 1, null, await url(), ids, [process.pid]);
    return { ...run, temporalInUse };
  } finally {
    floorSignals = false;
    setTemporalContextAside();
  }
}

const runs: Run[] = [];
for (let round = 0; round < rounds; round++) {
  for (const mix of mixes) {
    runs.push(await measureFloor(mix));
    if (mix === 'refused') runs.push(await measureFloor(mix, true));
    runs.push(await measureRoute(1, mix));
  }
  // The order of the process counts alternates between rounds, so a drift of the machine is not one N's.
  const order = round % 2 === 0 ? processCounts : [...processCounts].reverse();
  for (const processes of order.filter((n) => n !== 1)) runs.push(await measureRoute(processes, 'refused'));
  for (const ratio of tracingRatios) runs.push(await measureRoute(1, 'refused', ratio));
}
await stopApi(api);

// --- Report. ---
const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits);
const rate = (run: Run) => run.result.completed / run.result.elapsed;
const cores = os.availableParallelism();
const lines: string[] = [
  `hot auction bench: one auction per run, ${USERS} users, ${seconds} s flat out, ${concurrency} in flight, ${rounds} round(s), ${cores} cores, Node ${process.version}`,
  `CPU µs per request, read over each run: API (primary + workers), Redis (all threads / main thread), worker, generator, and the whole machine (with Postgres, Temporal and whatever else runs on it)`,
  [
    'run'.padEnd(50),
    'req/s'.padStart(6),
    'bids/s'.padStart(6),
    'p50 ms'.padStart(6),
    'p99 ms'.padStart(6),
    'errors'.padStart(6),
    'API'.padStart(5),
    'Redis'.padStart(5),
    'main'.padStart(5),
    'worker'.padStart(6),
    'gen'.padStart(5),
    'machine'.padStart(7),
    'busy cores'.padStart(10),
  ].join('  '),
  ...runs.map((run) =>
    [
      `${run.name}, ${run.mix}`.padEnd(50),
      fmt(rate(run)).padStart(6),
      fmt(run.result.accepted / run.result.elapsed).padStart(6),
      fmt(run.result.p50, 1).padStart(6),
      fmt(run.result.p99, 1).padStart(6),
      String(run.result.errors).padStart(6),
      fmt(run.api).padStart(5),
      fmt(run.redis, 1).padStart(5),
      fmt(run.redisMain, 1).padStart(5),
      fmt(run.worker).padStart(6),
      fmt(run.generator).padStart(5),
      fmt(run.machine).padStart(7),
      `${fmt(run.machineCores, 2)} of ${cores}`.padStart(10),
    ].join('  '),
  ),
];

// The projection: each API process on a core of its own, everything else elsewhere, and the CPU per
// request of the N that served the most requests (the least held up by the rest of the machine, and
// the most commands per Redis read).
const routeRuns = runs.filter(
  (run) => run.name.startsWith('bid route') && run.traced === null && run.mix === 'refused',
);
const runsOf = (processes: number) => routeRuns.filter((run) => run.processes === processes);
const topN = Math.max(...processCounts);
const basisN = processCounts.reduce((best, n) =>
  median(runsOf(n).map(rate)) > median(runsOf(best).map(rate)) ? n : best,
);
const basis = runsOf(basisN);
const apiPerRequest = median(basis.map((run) => run.api));
const redisPerRequest = median(basis.map((run) => run.redisMain ?? run.redis));
const workerPerRequest = median(basis.map((run) => run.worker));
const generatorPerRequest = median(basis.map((run) => run.generator));
const redisCeiling = 1e6 / redisPerRequest;
const perProcess = 1e6 / apiPerRequest;
const coresPerShard = apiPerRequest / redisPerRequest;
lines.push(
  '',
  `From the API_PROCESSES=${basisN} run(s): one Redis shard: ${fmt(redisPerRequest, 1)} µs of its main thread per bid request → at most ${fmt(redisCeiling)} req/s on one core; ` +
    `one API process on a whole core: ${fmt(apiPerRequest)} µs → ${fmt(perProcess)} req/s; one shard can feed ${fmt(coresPerShard, 1)} API cores`,
  [
    'N'.padStart(3),
    'kind'.padEnd(9),
    'req/s'.padStart(7),
    'Redis main thread'.padStart(17),
    'API cores'.padStart(9),
    'worker cores'.padStart(12),
    'generator cores'.padStart(15),
  ].join('  '),
);
for (const processes of processCounts) {
  const measured = routeRuns.filter((run) => run.processes === processes);
  lines.push(
    [
      String(processes).padStart(3),
      'measured'.padEnd(9),
      fmt(median(measured.map(rate))).padStart(7),
      `${fmt(median(measured.map((run) => (run.redisMainCores ?? NaN) * 100)))} %`.padStart(17),
      fmt(median(measured.map((run) => (rate(run) * run.api) / 1e6)), 2).padStart(9),
      fmt(median(measured.map((run) => (rate(run) * run.worker) / 1e6)), 2).padStart(12),
      fmt(median(measured.map((run) => (rate(run) * run.generator) / 1e6)), 2).padStart(15),
    ].join('  '),
  );
}
for (let processes = Math.max(4, 2 ** Math.ceil(Math.log2(topN + 1))); ; processes *= 2) {
  const offered = processes * perProcess;
  const served = Math.min(offered, redisCeiling);
  const saturated = offered >= redisCeiling;
  lines.push(
    [
      String(processes).padStart(3),
      'projected'.padEnd(9),
      fmt(served).padStart(7),
      `${fmt((offered / redisCeiling) * 100)} %`.padStart(17),
      fmt(served / perProcess, 2).padStart(9),
      fmt((served * workerPerRequest) / 1e6, 2).padStart(12),
      fmt((served * generatorPerRequest) / 1e6, 2).padStart(15),
      saturated ? '  Redis saturated: more API processes add latency, not bids' : '',
    ].join('  '),
  );
  if (saturated || processes >= 256) break;
}
lines.push(
  `Where the projection stops holding: Redis runs every script on one thread, so one auction (one shard) tops out near ` +
    `${fmt(redisCeiling)} req/s, reached at ~${fmt(coresPerShard, 1)} API cores; queueing raises its latency well before 100 %. ` +
    `It assumes each API process has a core to itself and the generator, the worker, Postgres and Temporal run elsewhere. ` +
    `On this ${cores}-core machine they all share the cores: N=${topN} kept ${fmt(median(runsOf(topN).map((run) => run.machineCores)), 2)} of ${cores} cores busy, ` +
    `so its figure is the machine's limit, not the API's or Redis's.`,
  '',
);
// The route against its floor, round by round on each mix: the same mix, one after the other.
for (const mix of mixes) {
  const floors = runs.filter((run) => run.name.startsWith('floor:') && run.mix === mix);
  const inUse = runs.filter((run) => run.temporalInUse && run.mix === mix);
  const routes = runs.filter(
    (run) => run.name.startsWith('bid route') && run.processes === 1 && run.traced === null && run.mix === mix,
  );
  const pairs = floors.map((floorRun, i) => [floorRun, routes[i]!] as const).filter(([, route]) => route);
  const throughput = pairs.map(([f, r]) => rate(r) / rate(f));
  const cpu = pairs.map(([f, r]) => r.api / f.api);
  const list = (values: number[]) => values.map((v) => fmt(v, 2)).join(', ');
  lines.push(
    `Bid route ÷ floor, API_PROCESSES=1, ${mix} mix (${fmt(median(pairs.map(([, r]) => (r.result.accepted / r.result.completed) * 100)))} % accepted): ` +
      `throughput × ${fmt(median(throughput), 2)} (rounds: ${list(throughput)}), API CPU per request × ${fmt(median(cpu), 2)} (rounds: ${list(cpu)})`,
  );
  if (inUse.length > 0) {
    const againstFloor = inUse.map((run, i) => run.api / floors[i]!.api);
    const routeAgainst = inUse.map((run, i) => (routes[i] ? routes[i].api / run.api : NaN));
    lines.push(
      `  the floor with this process's Temporal client in use: CPU per request × ${fmt(median(againstFloor), 2)} the plain floor's (rounds: ${list(againstFloor)}); ` +
        `the route ÷ it: × ${fmt(median(routeAgainst), 2)} (rounds: ${list(routeAgainst)})`,
    );
  }
  if (mix === 'accepted')
    lines.push('  the accepted floor signals on a wake, as the route does (a failed signal is logged as a warning)');
}
lines.push('');
const untraced = runsOf(1);
for (const ratio of tracingRatios) {
  const traced = runs.filter((run) => run.traced === ratio);
  const apiOff = median(untraced.map((run) => run.api));
  const apiOn = median(traced.map((run) => run.api));
  lines.push(
    `Tracing on, one API process, ${ratio * 100} % of requests sampled and exported: ` +
      `${fmt(median(traced.map(rate)))} req/s against ${fmt(median(untraced.map(rate)))} off; ` +
      `${fmt(apiOn)} µs of API CPU per request against ${fmt(apiOff)} (+${fmt(((apiOn - apiOff) / apiOff) * 100)} %)`,
  );
}
lines.push('');
process.stdout.write(lines.join('\n'));

await stop([floor, otlpSink]);
