/**
 * Every recorded auction history (test/workflow-histories/, from scripts/capture-workflow-histories.ts)
 * replays against the workflow code now in workflows/: a change that would break a running auction
 * fails here, not in production (workflows/README.md, "Changing workflow code"). No server: the replay
 * worker runs the histories in this process.
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
import { DefaultLogger, Runtime, Worker, type ReplayResult } from '@temporalio/worker';

const historiesDir = fileURLToPath(new URL('./workflow-histories/', import.meta.url));
const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
const files = fs
  .readdirSync(historiesDir)
  .filter((file) => file.endsWith('.json'))
  .sort();

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

const results = new Map<string, ReplayResult>();

before(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const histories = files.map((file) => ({
    workflowId: path.basename(file, '.json'),
    history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(historiesDir, file), 'utf8'))),
  }));
  // One replay worker (one bundle of workflows/) for every history.
  for await (const result of Worker.runReplayHistories({ workflowsPath }, histories)) {
    results.set(result.workflowId, result);
  }
});

test('when the histories folder is read, then it holds the recorded auction paths', () => {
  for (const name of ['sold', 'soft-close', 'cancelled-scheduled', 'cancelled-open', 'cancel-lost-race']) {
    assert.ok(files.includes(`auction-${name}.json`), `test/workflow-histories/auction-${name}.json is missing`);
  }
});

for (const file of files) {
  const workflowId = path.basename(file, '.json');
  test(`when ${file} is replayed against the current workflow code, then it replays without a nondeterminism or replay error`, () => {
    const result = results.get(workflowId);
    assert.ok(result, `${file} was not replayed`);
    if (result.error) {
      const { name, message } = result.error;
      assert.fail(`${file} does not replay (${name}): ${message}\n${changeHint}`);
    }
  });
}

const changeHint =
  'A running auction with this history would fail the same way. Guard the change with patched() ' +
  '(workflows/README.md, "Changing workflow code"); never edit or delete a recorded history.';
