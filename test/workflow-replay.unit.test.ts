/**
 * Every recorded history of the auction, settlement and sale workflows (test/workflow-histories/, from
 * scripts/capture-workflow-histories.ts) replays against the workflow code now in workflows/: a change
 * that would break a running auction, settlement or sale fails here, not in production
 * (workflows/README.md, "Changing workflow code"). No server: the replay worker runs the histories in
 * this process, with the worker's own bundle entry (workflows/index.ts), which exports every workflow.
 * Each is replayed twice: as the code runs untraced, and with the tracing interceptors a worker adds when
 * tracing is on (tracing/temporal.ts), since turning tracing on replays histories recorded without it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';
import { DefaultLogger, Runtime, Worker, type ReplayResult, type ReplayWorkerOptions } from '@temporalio/worker';
import { WORKFLOW_TRACING_MODULE } from '../tracing/temporal.js';

const historiesDir = fileURLToPath(new URL('./workflow-histories/', import.meta.url));
const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
const files = fs
  .readdirSync(historiesDir)
  .filter((file) => file.endsWith('.json'))
  .sort();

/** The workflow type each file name's prefix stands for (`<workflow>-<path>[-<version>].json`). */
const WORKFLOW_TYPES = {
  auction: 'auctionWorkflow',
  settlement: 'settlementWorkflow',
  sale: 'saleWorkflow',
  promotion: 'promotionFiringWorkflow',
} as const;
const prefixOf = (file: string) => file.slice(0, file.indexOf('-'));

/**
 * `historyFromJSON` of @temporalio/common (which the replayer calls on JSON), with the protobufjs copy
 * that @temporalio/proto's types come from: in this install npm keeps one copy of protobufjs 8 per
 * Temporal package, and the SDK's own function throws "type must be a Type" (the capture script says more).
 */
function historyFromJSON(json: unknown): History {
  const fromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
  const { fromJson } = fromProto('protobufjs/ext/protojson') as { fromJson: (type: unknown, json: unknown) => History };
  const root = patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown };
  return fromJson(root.lookupType('temporal.api.history.v1.History'), json);
}

/** The two ways a worker runs the workflows: untraced, and with the tracing interceptors. */
const MODES: Record<string, Omit<ReplayWorkerOptions, 'workflowsPath'>> = {
  untraced: {},
  traced: { interceptors: { workflowModules: [WORKFLOW_TRACING_MODULE] } },
};
const results = new Map<string, ReplayResult>();
const histories = new Map<string, History>();

before(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  for (const file of files) {
    histories.set(file, historyFromJSON(JSON.parse(fs.readFileSync(path.join(historiesDir, file), 'utf8'))));
  }
  for (const [mode, options] of Object.entries(MODES)) {
    const all = files.map((file) => ({
      workflowId: `${mode}:${path.basename(file, '.json')}`,
      history: histories.get(file)!,
    }));
    // One replay worker (one bundle of workflows/) for every history.
    for await (const result of Worker.runReplayHistories({ workflowsPath, ...options }, all)) {
      results.set(result.workflowId, result);
    }
  }
});

test('when the histories folder is read, then it holds the recorded auction, settlement, sale and promotion paths', () => {
  const required = [
    'promotion-fired',
    ...['sold', 'soft-close', 'cancelled-scheduled', 'cancelled-open', 'cancel-lost-race'].map((p) => `auction-${p}`),
    // The sold path since a sale starts its settlement.
    'auction-sold-settlement',
    ...[
      'paid',
      'offer-accepted',
      'offer-declined-then-expired',
      'auto-offers-expire',
      'ops-cancel-relist',
      'ops-extend-mark-paid',
      'ops-signal-between-orders',
    ].map((p) => `settlement-${p}`),
    ...[
      'sold-out-expired-waitlist',
      'cancelled',
      'closed',
      'continue-as-new-first-run',
      'continue-as-new-second-run',
    ].map((p) => `sale-${p}`),
  ];
  for (const name of required) {
    assert.ok(files.includes(`${name}.json`), `test/workflow-histories/${name}.json is missing`);
  }
});

test('when the histories a traced worker recorded are read, then each of an auction, a settlement and a sale carries trace context in the headers of the activities it scheduled', () => {
  for (const name of ['auction-sold-traced', 'settlement-paid-traced', 'sale-closed-traced']) {
    const events = histories.get(`${name}.json`)?.events ?? [];
    assert.ok(events.length > 0, `test/workflow-histories/${name}.json is missing`);
    // The tracing interceptors' header key: without it, replaying this history untraced would prove nothing.
    const traced = events.filter(
      (event) => event.activityTaskScheduledEventAttributes?.header?.fields?.['_tracer-data'],
    );
    assert.ok(traced.length > 0, `${name}: no scheduled activity carries a trace context`);
  }
});

test("when each history's first event is read, then its workflow type is the one its file name says, so the replay runs the right workflow of the bundle", () => {
  for (const file of files) {
    const prefix = prefixOf(file);
    assert.ok(prefix in WORKFLOW_TYPES, `${file}: no workflow is named by ${prefix}- (WORKFLOW_TYPES)`);
    const started = histories.get(file)!.events?.[0]?.workflowExecutionStartedEventAttributes;
    assert.equal(started?.workflowType?.name, WORKFLOW_TYPES[prefix as keyof typeof WORKFLOW_TYPES], file);
  }
});

for (const file of files)
  for (const mode of Object.keys(MODES)) {
    const workflowId = `${mode}:${path.basename(file, '.json')}`;
    test(`when ${file} is replayed against the current workflow code, ${mode}, then it replays without a nondeterminism or replay error`, () => {
      const result = results.get(workflowId);
      assert.ok(result, `${file} was not replayed`);
      if (result.error) {
        const { name, message } = result.error;
        assert.fail(`${file} does not replay (${name}): ${message}\n${changeHint}`);
      }
    });
  }

const changeHint =
  'A running workflow with this history would fail the same way. Guard the change with patched() ' +
  '(workflows/README.md, "Changing workflow code"); never edit or delete a recorded history.';
