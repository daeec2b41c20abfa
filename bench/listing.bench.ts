/**
 * The listing at read-heavy speed: GET /v1/auctions through the real app (its middleware, validation,
 * the read model, the presenter) over a catalogue of BENCH_AUCTIONS auctions, beside the floor: a
 * minimal express route answering a fixed page of the same size, in the same process and run.
 * Targets: throughput ≥ 0.8 × the floor, p99 ≤ 10 ms at half the peak.
 *
 * Then, while bids flow on a live auction (bench/bid-load.ts, its own process), how long from a bid's
 * 201 until the listing shows it (target ≤ 1 s), the listing polled every few milliseconds. And what the
 * read model costs in memory per auction.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'drizzle-orm';
import express from 'express';
import { pino } from 'pino';
import { buildApi } from '../api/build.js';
import { applyRow } from '../api/discovery/model-updates.js';
import { allRows, type ListingRow } from '../api/discovery/postgres-source.js';
import { ListingReadModel } from '../api/discovery/read-model.js';
import { listen, portOf } from '../api/server.js';
import { auctions } from '../db/schema.js';
import { AUCTION_CATEGORIES } from '../domain/categories.js';
import { call, signUp, type AuctionJson } from '../test/helpers/http.js';
import { insertUser } from '../test/helpers/fixtures.js';
import { load, meteredLoad, rssMiB, type LoadResult, type MeteredLoadResult } from './load.js';
import { childPids, machineBusyMicros, treeCpuMicros } from './cpu.js';
import { spawnApi, type ApiProcess } from '../test/helpers/api-process.js';
import { profiled, topSelfTime } from './profile.js';
import { deployedApiEnv, startBenchBackend } from './backend.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const catalogue = Number(process.env.BENCH_AUCTIONS ?? 10_000);
const processCounts = (process.env.BENCH_API_PROCESSES ?? '1,2')
  .split(',')
  .filter((n) => n.trim() !== '')
  .map(Number);
/** Dcard's front page, as its engineers reported it: the read load to set the figures beside. */
const DCARD_READ_QPS = 10_000;
const FRONT_PAGE = '/v1/auctions?status=open&sort=ending_soonest&limit=20';

const { config, deps, stop } = await startBenchBackend();

// --- The catalogue: rows as the app writes them, with listing-sized text. ---
// A vocabulary of 400 words (60 real, the rest made up), so a two-word search matches about 1 % of lots.
const REAL = (
  'vintage oak brass signed first edition leather walnut silver mint boxed rare restored original ' +
  'handmade antique modern classic limited print camera guitar watch lamp chair desk vase poster ' +
  'record coin stamp ring necklace bicycle clock mirror rug quilt teapot painting sculpture radio ' +
  'typewriter violin piano trumpet helmet jacket scarf bag bracelet brooch figurine puzzle train ' +
  'doll map globe compass lantern kettle'
).split(' ');
const WORDS = [...REAL, ...Array.from({ length: 400 - REAL.length }, (_, i) => `lot${i.toString(36)}word`)];
const words = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => WORDS[((seed * 2_654_435_761 + i * 40_503) % 4_294_967_291) % WORDS.length]);

async function seedCatalogue(sellerId: string): Promise<void> {
  const now = Date.now();
  for (let start = 0; start < catalogue; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, catalogue - start) }, (_, j) => {
      const i = start + j;
      const startingPrice = 100 + ((i * 7919) % 100_000);
      const bidCount = i % 4 === 0 ? 0 : (i * 31) % 60;
      const closed = i % 10 === 0;
      return {
        sellerId,
        title: words(5, i).join(' '),
        description: words(40, i).join(' '), // ~250 characters
        category: AUCTION_CATEGORIES[i % AUCTION_CATEGORIES.length]!,
        startingPrice,
        currentPrice: bidCount > 0 ? startingPrice + bidCount * 100 : null,
        bidCount,
        startsAt: new Date(now - 3_600_000),
        endsAt: new Date(now + 3_600_000 + ((i * 104_729) % (7 * 86_400_000))),
        status: closed ? ('closed' as const) : ('open' as const),
        closedAt: closed ? new Date(now - 60_000) : null,
        // A catalogue written earlier: the reconcile reads only rows changed since its last look.
        updatedAt: new Date(now - 3_600_000),
      };
    });
    await deps.database.db.insert(auctions).values(batch);
  }
}

const seller = await insertUser(deps.database.db, 'bench-seller');
const seedStarted = Date.now();
await seedCatalogue(seller.id);
const seedMs = Date.now() - seedStarted;

// --- The API (the read model loads the catalogue before it listens), and the floor. ---
const loadStarted = Date.now();
const built = await buildApi(config, deps, pino({ level: 'info' }, pino.destination('/dev/null')));
const loadMs = Date.now() - loadStarted;
const api = await listen(built.app, '127.0.0.1', 0);
const apiUrl = `http://127.0.0.1:${portOf(api)}`;

const frontPage = (await call(`${apiUrl}${FRONT_PAGE}`)).body;
const pageBytes = Buffer.byteLength(JSON.stringify(frontPage));
const floorApp = express();
floorApp.get('/page', (_req, res) => {
  res.json(frontPage);
});
const floor = await listen(floorApp, '127.0.0.1', 0);
const floorUrl = `http://127.0.0.1:${portOf(floor)}/page`;

// --- Throughput (autocannon, flat out), and latency at half the peak (an open loop at a fixed rate). ---
const options = { connections, seconds };
interface PacedResult {
  completed: number;
  elapsed: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}
async function paced(url: string, rate: number): Promise<PacedResult> {
  const spec = JSON.stringify({ url, rate, seconds, concurrency: connections });
  const script = fileURLToPath(new URL('./get-load.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, spec]);
  return JSON.parse(stdout) as PacedResult;
}
// Warm-up (not reported): the JIT and the item cache, for both.
await load(floorUrl, { connections, seconds: 2 });
await load(`${apiUrl}${FRONT_PAGE}`, { connections, seconds: 2 });
/** A flat-out run with the CPU per request of the server's processes (from /proc) and of the generator. */
interface Metered {
  result: MeteredLoadResult;
  serverMicros: number;
  generatorMicros: number;
  /** Cores the whole machine kept busy over the run (with whatever else runs on it). */
  machineCores: number;
}
async function metered(url: string, serverPids: number[]): Promise<Metered> {
  let before: { server: number; machine: number; at: number } | undefined;
  const snapshot = () => ({ server: treeCpuMicros(serverPids), machine: machineBusyMicros(), at: performance.now() });
  const result = await meteredLoad(url, { ...options, onStart: () => (before = snapshot()) });
  const after = snapshot();
  if (!before) throw new Error('the generator never said it started');
  return {
    result,
    serverMicros: (after.server - before.server) / result.requests,
    generatorMicros: result.cpuMicros / result.requests,
    machineCores: (after.machine - before.machine) / ((after.at - before.at) * 1000),
  };
}
// The floor and the listing are served by this process; it does nothing else meanwhile.
const floorMetered = await metered(floorUrl, [process.pid]);
const floorPeak = floorMetered.result;
const listingMetered = await profiled(process.env.BENCH_PROFILE, () =>
  metered(`${apiUrl}${FRONT_PAGE}`, [process.pid]),
);
const listingPeak = listingMetered.result;

// --- The API as deployed (api/main.ts), API_PROCESSES=N, over the same catalogue (loaded at its start). ---
async function meterApiProcesses(processes: number): Promise<Metered & { processes: number }> {
  const spawned: ApiProcess = await spawnApi({
    ...(await deployedApiEnv(config, processes)),
  });
  try {
    // Warm-up (not reported): the JIT, and time for every worker of a cluster to be listening.
    await load(`${spawned.url}${FRONT_PAGE}`, { connections, seconds: 2 });
    const pid = spawned.process.pid!;
    return { processes, ...(await metered(`${spawned.url}${FRONT_PAGE}`, [pid, ...childPids(pid)])) };
  } finally {
    spawned.process.kill('SIGTERM');
    await spawned.exited;
  }
}
const apiProcessRuns: (Metered & { processes: number })[] = [];
for (const processes of processCounts) apiProcessRuns.push(await meterApiProcesses(processes));
const halfRate = Math.round(listingPeak.requestsPerSecond / 2);
/** The paced run, with how long this process's event loop was held up meanwhile (the server's own stalls). */
async function pacedWithStalls(url: string, rate: number) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const result = await paced(url, rate);
  delay.disable();
  return { ...result, stallP99: delay.percentile(99) / 1e6, stallMax: delay.max / 1e6 };
}
const listingHalf = await pacedWithStalls(`${apiUrl}${FRONT_PAGE}`, halfRate);
const floorHalf = await pacedWithStalls(floorUrl, halfRate);
const secondPage = (await call<{ nextCursor: string }>(`${apiUrl}${FRONT_PAGE}`)).body.nextCursor;
const others: [string, string][] = [
  ['newest', '/v1/auctions?status=open&sort=newest&limit=20'],
  ['price, high to low', '/v1/auctions?status=open&sort=price_desc&limit=20'],
  ['most bids', '/v1/auctions?status=open&sort=most_bids&limit=20'],
  ['category + price range', '/v1/auctions?status=open&category=art&minPrice=20000&maxPrice=60000&limit=20'],
  ['second page (cursor)', `${FRONT_PAGE}&cursor=${secondPage}`],
  ['search q=vintage+camera (Postgres)', '/v1/auctions?q=vintage%20camera&limit=20'],
];
const otherResults: [string, LoadResult][] = [];
for (const [name, path] of others) otherResults.push([name, await load(`${apiUrl}${path}`, options)]);

// --- A bid's 201 → the listing shows it, while bids flow. ---
const users = await Promise.all(Array.from({ length: 20 }, (_, i) => signUp(apiUrl, `bench-bidder-${i}`)));
const seller2 = await signUp(apiUrl, 'bench-live-seller');
const live = await call<AuctionJson>(`${apiUrl}/v1/auctions`, {
  token: seller2.token,
  body: {
    title: 'Live bench lot',
    category: 'art',
    startingPrice: 100,
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
  },
});
if (live.status !== 201) throw new Error(`create failed: ${JSON.stringify(live.body)}`);
const BID_RATE = 300;

interface BidLoad {
  completed: number;
  accepted: number;
  elapsed: number;
  acks: [number, number][];
}
/** Bids at BID_RATE req/s on the live lot for `seconds`, from a process of their own. */
const bidLoad = () =>
  promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./bid-load.ts', import.meta.url)),
      JSON.stringify({
        url: `${apiUrl}/v1/auctions/${live.body.id}/bids`,
        users: users.map((user) => ({ header: 'authorization', value: `Bearer ${user.token}` })),
        rate: BID_RATE,
        seconds,
        concurrency: 16,
      }),
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  ).then(({ stdout }) => JSON.parse(stdout) as BidLoad);
const visibilityRun = bidLoad();

/** When each seq was first seen in the listing (polled every few ms, as a browser never would). */
const seenAt: [number, number][] = [];
let polling = true;
const poller = (async () => {
  while (polling) {
    // The live lot is the newest auction: always on this page.
    const body = (await call<{ items: AuctionJson[] }>(`${apiUrl}/v1/auctions?status=open&sort=newest&limit=5`)).body;
    const item = body.items.find((candidate) => candidate.id === live.body.id);
    if (item) seenAt.push([item.seq, Date.now()]);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
})();
const bids = await visibilityRun;
await new Promise((resolve) => setTimeout(resolve, 1500));
polling = false;
await poller;
const visibility = bids.acks.map(([seq, ackedAt]) => {
  const first = seenAt.find(([shown]) => shown >= seq);
  return first ? Math.max(0, first[1] - ackedAt) : Infinity;
});
visibility.sort((a, b) => a - b);
const pct = (values: number[], p: number) => values[Math.min(values.length - 1, Math.floor(values.length * p))] ?? NaN;

// The front page at half the peak while bids flow: every feed entry changes the model, so the page is
// recomputed after each (the first-page cache holds only while nothing changes).
const [busyHalf, busyBids] = await Promise.all([pacedWithStalls(`${apiUrl}${FRONT_PAGE}`, halfRate), bidLoad()]);

// --- A reconcile after every row changed at once (the worst case; normally only the last minute's). ---
await deps.database.db.update(auctions).set({ title: sql`title` });
const reconcileDelay = monitorEventLoopDelay({ resolution: 1 });
reconcileDelay.enable();
const reconcileStarted = Date.now();
await built.discovery.reconcile();
const reconcileMs = Date.now() - reconcileStarted;
reconcileDelay.disable();

// --- Memory per auction: the catalogue in a model of its own, measured around a full GC. ---
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
async function heapPerAuction(map: (row: ListingRow) => ListingRow): Promise<number> {
  gc();
  const before = process.memoryUsage().heapUsed;
  const rows: ListingRow[] = [];
  for await (const batch of allRows(deps.database.db, new Date(0))) rows.push(...batch.map(map));
  const model = new ListingReadModel();
  for (const row of rows) applyRow(model, row, 0);
  rows.length = 0; // what is left of the rows is what the model holds
  gc();
  return Math.round((process.memoryUsage().heapUsed - before) / model.size);
}
const withText = await heapPerAuction((row) => row);
const withoutText = await heapPerAuction((row) => ({ ...row, description: '', title: 'x' }));
const sample = (await call<{ items: AuctionJson[] }>(`${apiUrl}${FRONT_PAGE}`)).body.items;
const textLength = sample.reduce((sum, item) => sum + item.title.length + item.description.length, 0) / sample.length;

// --- Report. ---
const fmtMicros = (run: Metered) => `${Math.round(run.serverMicros)} / ${Math.round(run.generatorMicros)}`;
/**
 * Dcard's 10,000 read QPS in cores, at the CPU per request measured here: the API's (the lowest of its
 * runs, the least disturbed by the rest of the machine), and a generator like this one on the clients' side.
 */
function dcardLine(): string {
  const apiRuns = [listingMetered, ...apiProcessRuns];
  const best = apiRuns.reduce((low, run) => (run.serverMicros < low.serverMicros ? run : low));
  const apiCores = (DCARD_READ_QPS * best.serverMicros) / 1e6;
  const generatorCores = (DCARD_READ_QPS * best.generatorMicros) / 1e6;
  return (
    `beside Dcard's ${DCARD_READ_QPS.toLocaleString('en')} read QPS: at ${Math.round(best.serverMicros)} µs of API CPU per front-page request, ` +
    `${apiCores.toFixed(1)} API cores (API_PROCESSES=${Math.ceil(apiCores)} on as many free cores, or replicas); ` +
    `measured here: ${listingPeak.requestsPerSecond} req/s in one process with the generator on the same ${os.availableParallelism()} cores, ` +
    `which itself spends ${Math.round(best.generatorMicros)} µs per request (${generatorCores.toFixed(1)} cores at that rate)`
  );
}
const row = (name: string, r: LoadResult) =>
  [
    name.padEnd(46),
    String(r.requestsPerSecond).padStart(7),
    (r.requestsPerSecond / floorPeak.requestsPerSecond).toFixed(2).padStart(7),
    String(r.p50Ms).padStart(7),
    String(r.p99Ms).padStart(7),
    String(r.non2xx + r.errors).padStart(5),
  ].join(' ');
const pacedRow = (name: string, r: PacedResult & { stallMax: number }) =>
  [
    name.padEnd(46),
    String(Math.round(r.completed / r.elapsed)).padStart(7),
    ''.padStart(7),
    r.p50.toFixed(1).padStart(7),
    r.p99.toFixed(1).padStart(7),
    String(r.errors).padStart(5),
    `  (open loop: max ${r.max.toFixed(1)} ms; server event loop held up to ${r.stallMax.toFixed(1)} ms)`,
  ].join(' ');
process.stdout.write(
  [
    `listing bench: ${catalogue} auctions (${Math.round(catalogue * 0.9)} open), ${connections} connections, ${seconds} s per run, Node ${process.version}`,
    `front page: ${FRONT_PAGE} (${pageBytes} bytes); seeded in ${seedMs} ms; read model loaded in ${loadMs} ms`,
    `${'run'.padEnd(46)} ${'req/s'.padStart(7)} ${'×floor'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'bad'.padStart(5)}`,
    row('floor: express, fixed page, same size', floorPeak),
    row('GET front page, flat out', listingPeak),
    pacedRow(`GET front page at half peak (${halfRate}/s)`, listingHalf),
    pacedRow('floor at the same rate', floorHalf),
    pacedRow(
      `front page at the same rate, ${Math.round(busyBids.accepted / busyBids.elapsed)} bids/s landing`,
      busyHalf,
    ),
    ...otherResults.map(([name, result]) => row(`GET ${name}`, result)),
    `bid → listed, while bids flow (${BID_RATE} req/s offered, ${Math.round(bids.accepted / bids.elapsed)} accepted bids/s, ${bids.acks.length} bids): ` +
      `p50 ${pct(visibility, 0.5)} ms, p99 ${pct(visibility, 0.99)} ms, max ${visibility[visibility.length - 1]} ms`,
    `CPU µs per front-page request, flat out (server / load generator): floor ${fmtMicros(floorMetered)}, listing ${fmtMicros(listingMetered)}, this process serving both`,
    ...apiProcessRuns.map(
      (run) =>
        `API as deployed, API_PROCESSES=${run.processes}: ${run.result.requestsPerSecond} req/s, p99 ${run.result.p99Ms} ms, ` +
        `CPU µs per request ${fmtMicros(run)} (API: primary + workers), machine ${run.machineCores.toFixed(2)} of ${os.availableParallelism()} cores busy`,
    ),
    dcardLine(),
    `reconcile of all ${catalogue} rows changed at once: ${reconcileMs} ms, the event loop held up to ${(reconcileDelay.max / 1e6).toFixed(1)} ms at a time`,
    `read model memory: ${withText} bytes per auction (title + description ≈ ${Math.round(textLength)} characters), ` +
      `${withoutText} bytes with empty text; RSS of this process ${rssMiB()} MiB`,
    '',
  ].join('\n'),
);

if (process.env.BENCH_PROFILE) {
  process.stdout.write(
    `\nCPU self time in this process during the flat-out front page run:\n${topSelfTime(process.env.BENCH_PROFILE).join('\n')}\n`,
  );
}

await stop([api, floor]);
