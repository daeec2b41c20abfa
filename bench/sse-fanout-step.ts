/**
 * One step of bench/sse-fanout.bench.ts against one server process: bring the watchers up to N, let the
 * server settle, read its memory, then place bids at a fixed rate through the real bid route and time
 * each one from its 201 to the first and the last watcher that got it. The server is read from /proc,
 * from outside, so its figures are its own.
 */
import { call, type AuctionJson } from '../test/helpers/http.js';
import { runBidLoad, percentile } from './bid-runner.js';
import { cpuSeconds, rssBytes } from './proc.js';
import type { StreamTarget, WatcherPool } from './sse-watcher-pool.js';

export interface StepOptions {
  pool: WatcherPool;
  target: StreamTarget;
  serverPid: number;
  /** The watched auction (GET for its minimum next bid), and the bidders' Authorization headers. */
  auctionUrl: string;
  bidders: { header: string; value: string }[];
  rate: number;
  seconds: number;
  settleMs: number;
  /** The server's heap in use, where it can be read (the API's metrics); undefined elsewhere. */
  heapUsed?: () => Promise<number | undefined>;
}

export interface StepResult {
  watchers: number;
  live: number;
  failed: Record<string, number>;
  openSeconds: number;
  rss: number;
  heapUsed: number | undefined;
  /** Accepted bids (201s), and of those how many every watcher got; bid requests refused or failed. */
  bids: number;
  bidsRefused: number;
  complete: number;
  dropped: number;
  bidErrors: number;
  /** ms from the 201 to the last and to the first watcher, over the bids every watcher got. */
  lastP50: number;
  lastP99: number;
  firstP50: number;
  firstP99: number;
  /** Cores used from the first bid until every watcher had the last one (100 = one core). */
  serverCpu: number;
  watcherCpu: number;
  /**
   * The server's CPU µs per bid event delivered to a watcher over the same time: what one more watcher
   * of one more bid costs, which drifts far less with the machine than latency does. The API's also
   * holds its share of answering the bids themselves, a few per second.
   */
  cpuPerDeliveryUs: number;
}

/**
 * Each bid's maximum this far above the one before: three of the largest increment (10,000), so every
 * bid is accepted, each an event, even when a slow server answers late or takes two bids out of order.
 */
const LADDER_STEP = 50_000;

/**
 * How long the watchers may go without getting anything new before a bid still missing is given up:
 * a server that cannot keep up with the rate falls behind, and its backlog shows in the latency
 * rather than as bids lost, as long as it keeps delivering.
 */
const STALL_TIMEOUT_MS = 10_000;

export async function runStep(watchers: number, options: StepOptions): Promise<StepResult> {
  const { pool, serverPid } = options;
  const openStarted = performance.now();
  const opened = await pool.openUntil(options.target, watchers);
  const openSeconds = (performance.now() - openStarted) / 1000;
  await new Promise((resolve) => setTimeout(resolve, options.settleMs));
  const rss = rssBytes(serverPid);
  const heapUsed = await options.heapUsed?.();

  await pool.reset();
  const auction = await call<AuctionJson>(options.auctionUrl);
  const cpuBefore = cpuSeconds(serverPid);
  const watcherCpuBefore = sumCpu(pool.pids);
  const started = performance.now();
  const load = await runBidLoad(`${options.auctionUrl}/bids`, options.bidders, {
    rate: options.rate,
    seconds: options.seconds,
    // Enough connections that a server answering seconds late still gets every bid at the rate (the
    // generator counts a bid over 8 × this many in flight as failed, unsent).
    concurrency: 64,
    ladder: { from: auction.body.minimumNextBid, step: LADDER_STEP },
  });
  // Every bid counts once all live watchers have it; while one is missing, the wait goes on as long as
  // deliveries progress, and a bid some watcher never got is reported as incomplete.
  let delivered = await pool.deliveries();
  const allDelivered = () => load.acks.every(([seq]) => (delivered.bySeq.get(seq)?.count ?? 0) >= delivered.live);
  const total = () => [...delivered.bySeq.values()].reduce((sum, { count }) => sum + count, 0);
  let progressAt = Date.now();
  while (!allDelivered() && Date.now() - progressAt < STALL_TIMEOUT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = total();
    delivered = await pool.deliveries();
    if (total() > before) progressAt = Date.now();
  }
  const elapsed = (performance.now() - started) / 1000;
  const serverCpuSeconds = cpuSeconds(serverPid) - cpuBefore;
  const serverCpu = (serverCpuSeconds / elapsed) * 100;
  const watcherCpu = ((sumCpu(pool.pids) - watcherCpuBefore) / elapsed) * 100;

  const last: number[] = [];
  const first: number[] = [];
  let deliveries = 0;
  for (const [seq, ackAt] of load.acks) {
    const delivery = delivered.bySeq.get(seq);
    deliveries += delivery?.count ?? 0;
    if (!delivery || delivery.count < watchers) continue;
    last.push(delivery.last - ackAt);
    first.push(delivery.first - ackAt);
  }
  return {
    watchers,
    live: delivered.live,
    failed: opened.failed,
    openSeconds,
    rss,
    heapUsed,
    bids: load.acks.length,
    bidsRefused: load.rejected,
    complete: last.length,
    dropped: delivered.dropped,
    bidErrors: load.errors,
    lastP50: percentile(last, 0.5),
    lastP99: percentile(last, 0.99),
    firstP50: percentile(first, 0.5),
    firstP99: percentile(first, 0.99),
    serverCpu,
    watcherCpu,
    cpuPerDeliveryUs: (serverCpuSeconds * 1e6) / deliveries,
  };
}

/** Held: every watcher connected, none was cut, and every one got every bid. */
export const held = (step: StepResult) =>
  step.live === step.watchers && step.dropped === 0 && step.bids > 0 && step.complete === step.bids;

const sumCpu = (pids: number[]) => pids.reduce((total, pid) => total + cpuSeconds(pid), 0);
