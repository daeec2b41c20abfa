/** The figures of bench/sse-fanout.bench.ts: a line per step as it ends, then the table and the targets. */
import { held, type StepResult } from './sse-fanout-step.js';

export interface Ramp {
  /** The server's RSS and heap in use before any watcher. */
  before: { rss: number; heap: number | undefined };
  steps: StepResult[];
}

const say = (line = '') => process.stdout.write(`${line}\n`);
const TARGET = { watchers: 20_000, p99Ms: 250, kbPerWatcher: 20 };

const fmt = (n: number | undefined, digits = 1) =>
  n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const mib = (bytes: number) => bytes / 1024 / 1024;
const perWatcherKB = (step: StepResult, rssBefore: number) => (step.rss - rssBefore) / step.watchers / 1024;

export function describeStep(step: StepResult, before: number): string {
  const failures = Object.entries(step.failed).map(([why, n]) => `${n} ${why}`);
  return (
    `${step.live}/${step.watchers} live in ${fmt(step.openSeconds)} s, ` +
    `${fmt(perWatcherKB(step, before))} KB/watcher, ${step.complete}/${step.bids} bids to all ` +
    `(${step.bidsRefused} refused, ${step.bidErrors} failed), last p99 ${fmt(step.lastP99)} ms` +
    (failures.length ? `, streams failed: ${failures.join(', ')}` : '')
  );
}

const header = [
  'server'.padEnd(6),
  'watchers',
  '  live',
  'open s',
  'RSS MiB',
  'KB/watcher',
  'heap KB/w',
  'bids',
  'to all',
  'last p50',
  'last p99',
  'first p50',
  'first p99',
  'server CPU',
  'µs/delivery',
  'watchers CPU',
  'held',
];
const rows = (name: string, { before, steps: results }: Ramp) =>
  results.map((step) =>
    [
      name.padEnd(6),
      fmt(step.watchers, 0).padStart(8),
      fmt(step.live, 0).padStart(6),
      fmt(step.openSeconds).padStart(6),
      fmt(mib(step.rss)).padStart(7),
      fmt(perWatcherKB(step, before.rss)).padStart(10),
      fmt(
        before.heap === undefined || step.heapUsed === undefined
          ? undefined
          : (step.heapUsed - before.heap) / step.watchers / 1024,
      ).padStart(9),
      String(step.bids).padStart(4),
      String(step.complete).padStart(6),
      fmt(step.lastP50).padStart(8),
      fmt(step.lastP99).padStart(8),
      fmt(step.firstP50).padStart(9),
      fmt(step.firstP99).padStart(9),
      `${fmt(step.serverCpu, 0)} %`.padStart(10),
      fmt(step.cpuPerDeliveryUs).padStart(11),
      `${fmt(step.watcherCpu, 0)} %`.padStart(12),
      (held(step) ? 'yes' : 'NO').padStart(4),
    ].join('  '),
  );

export function printReport(floor: Ramp, route: Ramp, bidsPerSecond: number): void {
  say();
  say(header.join('  '));
  for (const line of [...rows('floor', floor), ...rows('API', route)]) say(line);
  say(
    "KB/watcher: (RSS at the step - RSS before any watcher) / watchers; heap KB/w the same of V8's heap in use (the API's " +
      'metrics). last/first: ms from the 201 to the last/first watcher that got the bid, over the bids all got. ' +
      'CPU: from the first bid until all had the last, 100 % = one core; µs/delivery: that CPU over the bid events ' +
      'delivered. held: all live, none cut, every bid to all (the wait for them ends after 10 s without a delivery).',
  );

  const heldSteps = route.steps.filter(held);
  const most = heldSteps.at(-1);
  const atTarget = route.steps.find((step) => step.watchers === TARGET.watchers) ?? most;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  say();
  say(
    `most watchers held by one API process: ${fmt(most?.watchers ?? 0, 0)} (target ≥ ${fmt(TARGET.watchers, 0)}: ` +
      `${verdict((most?.watchers ?? 0) >= TARGET.watchers)}); the floor held ${fmt(floor.steps.filter(held).at(-1)?.watchers ?? 0, 0)}`,
  );
  if (atTarget) {
    const kb = perWatcherKB(atTarget, route.before.rss);
    const floorSame = floor.steps.find((step) => step.watchers === atTarget.watchers);
    say(
      `at ${fmt(atTarget.watchers, 0)}: fan-out p99 ${fmt(atTarget.lastP99)} ms (target ≤ ${TARGET.p99Ms}: ` +
        `${verdict(atTarget.lastP99 <= TARGET.p99Ms)}), ${fmt(kb)} KB per watcher (target ≤ ${TARGET.kbPerWatcher}: ` +
        `${verdict(kb <= TARGET.kbPerWatcher)})` +
        (floorSame
          ? `; the floor: p99 ${fmt(floorSame.lastP99)} ms, ${fmt(perWatcherKB(floorSame, floor.before.rss))} KB per watcher`
          : ''),
    );
    // CPU per delivery is what bounds the rate one process fans out, whatever the machine's load.
    const perCore = 1e6 / atTarget.cpuPerDeliveryUs;
    say(
      `CPU: ${fmt(atTarget.cpuPerDeliveryUs)} µs per bid event delivered (the floor: ${fmt(floorSame?.cpuPerDeliveryUs)}); ` +
        `one core fans out ${fmt(perCore, 0)} deliveries/s, ${fmt(perCore / atTarget.watchers)} bids/s to ` +
        `${fmt(atTarget.watchers, 0)} watchers`,
    );
    // Near one core the writes of each bid wait for the bids before it: the p99 then measures that queue,
    // for the floor as much as for the API, not the fan-out of one bid.
    const busiest = Math.max(atTarget.serverCpu, floorSame?.serverCpu ?? 0);
    say(
      `at ${fmt(bidsPerSecond, 0)} bids/s to ${fmt(atTarget.watchers, 0)} watchers (${fmt(bidsPerSecond * atTarget.watchers, 0)} deliveries/s) ` +
        `the API used ${fmt(atTarget.serverCpu, 0)} % of one core and the floor ${fmt(floorSame?.serverCpu, 0)} %` +
        (busiest >= 90 ? ': near one core, each bid queues behind the ones before it, for the floor too' : ''),
    );
    // miaosha's figure is connections per instance; its memory is the instance's, 2 GiB for everything.
    say(
      `beside miaosha: 50,000 WebSocket connections per t3a.small (2 vCPU, 2 GiB), ≤ ${fmt((2 * 1024 * 1024) / 50_000)} KB ` +
        `each if all 2 GiB went to them; at ${fmt(kb)} KB per watcher, 2 GiB less this API's ${fmt(mib(route.before.rss), 0)} MiB ` +
        `before any watcher would hold ${fmt((2 * 1024 * 1024 - route.before.rss / 1024) / kb, 0)} watchers by memory alone`,
    );
  }
}
