/**
 * The fault scenarios (`npm run test:faults`). Each bidding scenario runs a live auction under a
 * retrying bid load, strikes one fault while bids flow, and lets the auction end during or just after
 * it. Then:
 *   every acknowledged bid is in Postgres exactly once (no gaps), nothing was placed after the end,
 *   exactly one result is recorded and announced, it equals the order-independent formula, the
 *   workflow returned it, and the SSE client learned it (its `closed` event, or a closed snapshot).
 * Each settlement scenario sells a few auctions, strikes its fault in the middle of their settlements'
 * steps, waits for every settlement to end and checks the settlement's invariants
 * (harness/settlement-invariants.ts).
 * Each flash-sale scenario strikes its fault in a claim burst or while holds expire, and checks the
 * sale's invariants: no hold lost or released twice, no oversell, the counts whole (harness/flash-sale-*.ts).
 * The figures tables are printed at the end (docs/RELIABILITY.md keeps a copy).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { publicResult, withoutOrder } from '../helpers/expected-result.js';
import type { FlashSaleOutcome } from './harness/flash-sale-run.js';
import { flashSaleScenarios } from './harness/flash-sale-scenarios.js';
import { runScenario, type Outcome, type Scenario } from './harness/scenario.js';
import type { SettlementOutcome } from './harness/settlement-run.js';
import { settlementScenarios } from './harness/settlement-scenarios.js';
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
const settlementOutcomes: SettlementOutcome[] = [];
const flashSaleOutcomes: FlashSaleOutcome[] = [];

before(async () => {
  await stack.start();
});

after(async () => {
  await stack.stopAll();
  if (outcomes.length > 0) process.stdout.write(`\n${table(outcomes)}\n`);
  if (settlementOutcomes.length > 0) process.stdout.write(`\n${settlementTable(settlementOutcomes)}\n`);
  if (flashSaleOutcomes.length > 0) process.stdout.write(`\n${flashSaleTable(flashSaleOutcomes)}\n`);
});

// GAVEL_FAULTS_ONLY=redis runs the scenarios whose name contains that text (case-insensitive).
const only = process.env.GAVEL_FAULTS_ONLY?.toLowerCase();
const chosen = <T extends { name: string }>(list: T[]) =>
  list.filter((s) => !only || s.name.toLowerCase().includes(only));
for (const scenario of chosen(scenarios)) {
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
    assert.deepEqual(
      outcome.sseClosed,
      outcome.stored && publicResult(outcome.stored),
      'the SSE closed event equals the stored result (the winner by alias only: streams are public)',
    );
  });
}

for (const scenario of chosen(settlementScenarios)) {
  test(`${scenario.name}: the settlement's invariants hold`, async () => {
    const outcome = await scenario.run(stack);
    settlementOutcomes.push(outcome);
    process.stdout.write(`${outcome.stories.map((line) => `  ${line}`).join('\n')}\n`);
    const summary = JSON.stringify(outcome);
    assert.deepEqual(outcome.violations, [], `broken invariants: ${summary}`);
    assert.deepEqual(outcome.unplanned, [], `settlements that went otherwise than planned: ${summary}`);
    assert.ok(
      Object.values(outcome.inFlight).every((n) => n > 0),
      `the fault must catch each step mid-way, or it tests nothing: ${summary}`,
    );
    for (const activity of scenario.mustRunAgain) {
      assert.ok((outcome.ranAgain[activity] ?? 0) > 0, `${activity} should have run again after the kill: ${summary}`);
    }
  });
}

for (const scenario of chosen(flashSaleScenarios)) {
  test(`${scenario.name}: no hold lost or released twice, no oversell`, async () => {
    const outcome = await scenario.run(stack);
    flashSaleOutcomes.push(outcome);
    assert.deepEqual(outcome.violations, [], `broken invariants: ${JSON.stringify(outcome)}`);
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

function settlementTable(rows: SettlementOutcome[]): string {
  const counts = (record: Record<string, number>) =>
    Object.entries(record)
      .map(([what, n]) => `${what}×${n}`)
      .join(' ') || '0';
  const header = [
    '| scenario | sales | orders (auction + second chance) | orders by status | strikes | offers by status | settlements ended | caught mid-step | ran again | Stripe events (copies / distinct / answered already applied) | webhook answers | checkout and offer answers | notifications | broken invariants | fault to all settled |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const lines = rows.map(
    (o) =>
      `| ${o.scenario} | ${o.sales} | ${o.orders.auction} + ${o.orders.secondChance} | ${counts(o.statuses)} | ${o.strikes} | ${counts(o.offers)} | ${counts(o.phases)} | ${counts(o.inFlight)} | ${counts(o.ranAgain)} | ${o.events.copies} / ${o.events.distinct} / ${o.events.repeats} | ${counts(o.webhookAnswers)} | ${counts(o.peopleAnswers)} | ${o.notifications} | ${o.violations.length} | ${(o.faultToSettledMs / 1000).toFixed(1)} s |`,
  );
  return [...header, ...lines].join('\n');
}

function flashSaleTable(rows: FlashSaleOutcome[]): string {
  const counts = (record: Record<string, number>) =>
    Object.entries(record)
      .map(([what, n]) => `${what}×${n}`)
      .join(' ') || '0';
  const header = [
    '| scenario | claims | answers (every attempt) | units acknowledged | orders by status | Redis available / held / sold | sales row | waitlist joined / served / told | caught by the fault | broken invariants | fault to checked |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const lines = rows.map(
    (o) =>
      `| ${o.scenario} | ${o.claims} | ${counts(o.answers)} | ${o.acknowledgedUnits} | ${counts(o.orders)} | ${o.redis} | ${o.row} | ${o.waitlist} | ${o.caught} | ${o.violations.length} | ${(o.faultToSettledMs / 1000).toFixed(1)} s |`,
  );
  return [...header, ...lines].join('\n');
}
