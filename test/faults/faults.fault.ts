/**
 * The fault scenarios (`npm run test:faults`). Each runs a live auction under a retrying bid load,
 * strikes one fault while bids flow, and lets the auction end during or just after it. Then:
 *   every acknowledged bid is in Postgres exactly once (no gaps), nothing was placed after the end,
 *   exactly one result is recorded and announced, it equals the order-independent formula, the
 *   workflow returned it, and the SSE `closed` event equals it.
 * The figures table is printed at the end (docs/RELIABILITY.md keeps a copy).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { withoutOrder } from '../helpers/expected-result.js';
import { runScenario, type Outcome, type Scenario } from './harness/scenario.js';
import { FaultStack } from './harness/stack.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const scenarios: Scenario[] = [
  {
    name: 'worker SIGKILL, restarted 4 s later',
    endsInMs: 9_000,
    faultAtMs: 4_000,
    fault: async (stack) => {
      await stack.kill('worker');
      await pause(4_000);
      await stack.restart('worker');
    },
  },
  {
    name: 'API SIGKILL, restarted 1 s later',
    endsInMs: 9_000,
    faultAtMs: 4_000,
    fault: async (stack) => {
      await stack.kill('api');
      await pause(1_000);
      await stack.restart('api');
    },
  },
  {
    name: 'Redis SIGKILL, restarted 2 s later (AOF everysec)',
    endsInMs: 7_500,
    faultAtMs: 4_000,
    fault: async (stack) => {
      await stack.kill('redis');
      await pause(2_000);
      await stack.restart('redis');
    },
  },
  {
    name: 'Postgres stopped for 20 s',
    endsInMs: 10_000,
    faultAtMs: 3_000,
    fault: async (stack) => {
      await stack.stop('postgres');
      await pause(20_000);
      await stack.restart('postgres');
    },
  },
  {
    name: 'Temporal dev server stopped for 8 s (db file kept)',
    endsInMs: 10_000,
    faultAtMs: 4_000,
    fault: async (stack) => {
      await stack.stop('temporal');
      await pause(8_000);
      await stack.restart('temporal');
    },
  },
];

const stack = new FaultStack();
const outcomes: Outcome[] = [];

before(async () => {
  await stack.start();
});

after(async () => {
  await stack.stopAll();
  process.stdout.write(`\n${table(outcomes)}\n`);
});

// GAVEL_FAULTS_ONLY=redis runs the scenarios whose name contains that text (case-insensitive).
const only = process.env.GAVEL_FAULTS_ONLY?.toLowerCase();
for (const scenario of scenarios.filter((s) => !only || s.name.toLowerCase().includes(only))) {
  test(`${scenario.name}: no acknowledged bid lost, one correct result`, async () => {
    const outcome = await runScenario(stack, scenario);
    outcomes.push(outcome);
    const summary = JSON.stringify(outcome);
    assert.equal(outcome.unresolved, 0, `bids left without a definite answer: ${summary}`);
    assert.ok(outcome.acknowledged >= 50, `too few bids to mean anything: ${summary}`);
    assert.equal(outcome.lost, 0, `acknowledged bids lost: ${summary}`);
    assert.equal(outcome.gaps, 0, `seq gaps in Postgres: ${summary}`);
    assert.equal(outcome.late, 0, `bids placed after the end: ${summary}`);
    assert.equal(outcome.answers['500'] ?? 0, 0, `500s answered: ${summary}`);
    assert.deepEqual(
      outcome.stored && withoutOrder(outcome.stored),
      outcome.expected,
      'the stored result equals the formula',
    );
    assert.deepEqual(outcome.workflow, outcome.stored, 'the workflow returned the stored result');
    assert.equal(outcome.sseMissed, 0, `bids the SSE client never saw: ${summary}`);
    assert.equal(outcome.closedEvents, 1, `one closed event: ${summary}`);
    assert.deepEqual(outcome.sseClosed, outcome.stored, 'the SSE closed event equals the stored result');
  });
}

function table(rows: Outcome[]): string {
  const header = [
    '| scenario | bids acknowledged | lost | in Postgres | gaps | after end | results | retried requests | answers during the run | auction ended | SSE reconnects | SSE missed | fault to result |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const lines = rows.map((o) => {
    const answers = Object.entries(o.answers)
      .map(([status, n]) => `${status}×${n}`)
      .join(' ');
    const results = o.stored && o.closedEvents === 1 ? '1' : `${o.stored ? 1 : 0} stored, ${o.closedEvents} announced`;
    return `| ${o.scenario} | ${o.acknowledged} | ${o.lost} | ${o.persisted} | ${o.gaps} | ${o.late} | ${results} | ${o.retries} | ${answers} | ${endedWhen(o)} | ${o.reconnects} | ${o.sseMissed} | ${(o.recoveryMs / 1000).toFixed(1)} s |`;
  });
  return [...header, ...lines].join('\n');
}

/** Where the auction's final end fell relative to the fault: during it, or how long after recovery. */
function endedWhen(o: Outcome): string {
  if (o.endsAtMs < o.faultFromMs) return `${((o.faultFromMs - o.endsAtMs) / 1000).toFixed(1)} s before the fault`;
  if (o.endsAtMs <= o.faultToMs) return 'during the fault';
  return `${((o.endsAtMs - o.faultToMs) / 1000).toFixed(1)} s after recovery`;
}
