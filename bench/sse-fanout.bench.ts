/**
 * How many live watchers one API process holds: one hot auction, N watchers on its event stream
 * (GET /v1/auctions/:id/events), held by a cheap raw-socket client in processes of its own
 * (bench/sse-watchers.ts), and bids at a fixed rate through the real bid route. At each step of N:
 * whether every watcher connected and got every bid, the API process's memory per watcher (its RSS
 * from /proc, over its RSS before any watcher), the fan-out latency from each bid's 201 to the last
 * (and the first) watcher that got it, p50 and p99, and the process's CPU while the bids land.
 *
 * The API is one process started as production starts it (api/main.ts, NODE_ENV=production with
 * secrets made for this run, under tsx as the other benches' API processes). Its floor, measured first
 * in the same run with the same watchers and the same bids: bare node:http holding the streams and
 * writing each bid to each of them from one Redis subscription (bench/sse-floor.ts).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { auctionKeys } from '../lua/bidding-store.js';
import { freePort, spawnApi } from '../test/helpers/api-process.js';
import { adopt } from '../test/helpers/children.js';
import { call, signUp, type AuctionJson } from '../test/helpers/http.js';
import { startBenchBackend } from './backend.js';
import { openFileLimits, raiseOpenFileLimit, rssBytes } from './proc.js';
import { productionEnv } from './production-env.js';
import { describeStep, printReport, type Ramp } from './sse-fanout-report.js';
import { runStep, type StepOptions, type StepResult } from './sse-fanout-step.js';
import { WatcherPool, type StreamTarget } from './sse-watcher-pool.js';

const say = (line = '') => process.stdout.write(`${line}\n`);
const STEPS = (process.env.BENCH_WATCHERS ?? '1000,5000,10000,20000').split(',').map(Number);
const RATE = Number(process.env.BENCH_BID_RATE ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PROCESSES = Number(process.env.BENCH_WATCHER_PROCESSES ?? 2);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 3000);
const HEARTBEAT_MS = 15_000; // the API's default SSE_HEARTBEAT_MS, so the floor beats as often
const BIDDERS = 20;
/**
 * Room for what each process holds besides the streams: its connections to the stack, stdio, the event
 * loop's own (the API holds ~35 when idle). Small, so a machine whose hard limit is 20,000 can still hold
 * 19,900 watchers.
 */
const SPARE_FILES = 100;

// Each stream is an open file in the server and in a watcher process; children inherit this process's limit.
const largest = Math.max(...STEPS);
const fileLimit = raiseOpenFileLimit(largest + SPARE_FILES);
const steps = STEPS.filter((n) => n + SPARE_FILES <= fileLimit);
if (steps.length < STEPS.length) {
  say(
    `open-file limit ${fileLimit} (hard ${openFileLimits().hard}), raising it failed (the hard limit takes CAP_SYS_RESOURCE): ` +
      `skipping ${STEPS.filter((n) => !steps.includes(n)).join(', ')} watchers; raise \`ulimit -Hn\` to ${largest + SPARE_FILES} first`,
  );
}
// Beyond ~28,000 sockets one source address runs out of ephemeral ports (32768-60999): the watchers
// spread over several loopback addresses, a range of their own per server so no port is in TIME_WAIT
// from the phase before.
const addressCount = Math.max(PROCESSES, Math.ceil(largest / 20_000) * PROCESSES);
const sourceAddresses = (phase: number) => Array.from({ length: addressCount }, (_, i) => `127.1.${phase}.${i + 1}`);

const backend = await startBenchBackend();
const metricsPort = await freePort();
const api = await spawnApi({
  ...productionEnv(),
  TEMPORAL_TASK_QUEUE: backend.config.TEMPORAL_TASK_QUEUE,
  METRICS_PORT: String(metricsPort),
  // One client address holds every stream here; production caps it at 100 (docs/decisions.md, "Security").
  SSE_MAX_STREAMS_PER_IP: String(largest + SPARE_FILES),
  SSE_MAX_STREAMS_PER_USER: String(largest + SPARE_FILES),
});
const apiPid = api.process.pid!;

const seller = await signUp(api.url, 'sse-seller');
const bidders: Awaited<ReturnType<typeof signUp>>[] = [];
for (let i = 0; i < BIDDERS; i++) bidders.push(await signUp(api.url, `sse-bidder-${i}`));
const created = await call<AuctionJson>(`${api.url}/v1/auctions`, {
  token: seller.token,
  body: { title: 'Hot lot', startingPrice: 100, endsAt: new Date(Date.now() + 6 * 3600_000).toISOString() },
});
if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
const auctionId = created.body.id;

say(
  `sse fan-out: ${steps.join(', ')} watchers on one auction, ${PROCESSES} watcher processes (raw sockets), ` +
    `bids at ${RATE}/s for ${SECONDS} s per step through POST /v1/auctions/:id/bids, Node ${process.version}`,
);
say(
  `API pid ${apiPid}: NODE_ENV=production (secrets made for this run), SSE_MAX_STREAMS_PER_IP and _PER_USER ` +
    `raised to ${largest + SPARE_FILES} (production: 100 and 10); the stream needs no token. Open-file limit ${fileLimit}.`,
);

const pool = new WatcherPool(PROCESSES);
const common = {
  pool,
  auctionUrl: `${api.url}/v1/auctions/${auctionId}`,
  bidders: bidders.map((user) => ({ header: 'authorization', value: `Bearer ${user.token}` })),
  rate: RATE,
  seconds: SECONDS,
  settleMs: SETTLE_MS,
};

async function ramp(name: string, options: StepOptions): Promise<Ramp> {
  const before = { rss: rssBytes(options.serverPid), heap: await options.heapUsed?.() };
  const results: StepResult[] = [];
  for (const watchers of steps) {
    const step = await runStep(watchers, options);
    results.push(step);
    say(`${name}: ${describeStep(step, before.rss)}`);
    // A step that lost watchers says where the process gives up; larger ones would only say it again.
    if (step.live < watchers) break;
  }
  await pool.closeAll();
  return { before, steps: results };
}

// The floor first, subscribed to the same auction's channel, so the same bids feed both.
const floorProcess = adopt(
  fork(
    fileURLToPath(new URL('./sse-floor.ts', import.meta.url)),
    [auctionKeys(auctionId).events, String(HEARTBEAT_MS)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  ),
);
const floorPort = await new Promise<number>((resolve) =>
  floorProcess.once('message', (message) => resolve((message as { port: number }).port)),
);
const floorTarget: StreamTarget = {
  host: '127.0.0.1',
  port: floorPort,
  path: '/events',
  localAddresses: sourceAddresses(1),
};
const floor = await ramp('floor', { ...common, target: floorTarget, serverPid: floorProcess.pid! });
floorProcess.disconnect();

const apiTarget: StreamTarget = {
  host: '127.0.0.1',
  port: api.port,
  path: `/v1/auctions/${auctionId}/events`,
  localAddresses: sourceAddresses(2),
};
const route = await ramp('API', { ...common, target: apiTarget, serverPid: apiPid, heapUsed: apiHeapUsed });

/** The API's heap in use and its count of live streams, from its Prometheus metrics. */
async function apiHeapUsed(): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const value = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
  return value === undefined ? undefined : Number(value);
}

printReport(floor, route, RATE);

pool.stop();
api.process.kill('SIGTERM');
await api.exited;
await backend.stop([]);
