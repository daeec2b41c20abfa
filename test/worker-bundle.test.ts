import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { settlementOptions } from '../activities/settlement/index.js';
import { createMailer } from '../activities/notifications/email-sender.js';
import { webhookDeliveryOptions } from '../activities/notifications/webhook-delivery.js';
import { closeRedis, createRedis } from '../config/redis.js';
import { BiddingStore } from '../lua/bidding-store.js';
import { SaleStore } from '../lua/sale-store.js';
import { auctionWorkflowId } from '../domain/temporal-names.js';
import { WORKFLOW_TRACING_MODULE } from '../tracing/temporal.js';
import { workflowSource } from '../worker/workflow-source.js';
import { auctionWorkflow } from '../workflows/auction.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { testConfig } from './helpers/config.js';
import { insertAuction, insertUser, openBidding } from './helpers/fixtures.js';
import { installQuietRuntime } from './helpers/runtime.js';

let database: TestDatabase;
let bundleDir: string;
before(async () => {
  database = await createTestDatabase();
  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gavel-bundle-'));
});
after(async () => {
  await database.drop();
  fs.rmSync(bundleDir, { recursive: true, force: true });
});

test('when production has no bundle, then the worker refuses to start and says to build', () => {
  assert.throws(
    () => workflowSource({ NODE_ENV: 'production', WORKFLOW_BUNDLE_PATH: path.join(bundleDir, 'missing.js') }),
    /workflow bundle not found .*npm run build/,
  );
});

test('when WORKFLOW_BUNDLE_PATH names a bundle, then a development worker runs it instead of bundling workflows/', () => {
  const bundlePath = path.join(bundleDir, 'released.js');
  fs.writeFileSync(bundlePath, '// a bundle');
  assert.deepEqual(workflowSource({ NODE_ENV: 'development', WORKFLOW_BUNDLE_PATH: bundlePath }), {
    workflowBundle: { codePath: bundlePath },
  });
  assert.match(String(workflowSource({ NODE_ENV: 'development' }).workflowsPath), /workflows[/\\]index\.ts$/);
});

test('when tracing is on, then development bundles the tracing interceptors in and production loads the traced bundle', () => {
  assert.deepEqual(workflowSource({ NODE_ENV: 'development' }, true).interceptors, {
    workflowModules: [WORKFLOW_TRACING_MODULE],
  });
  assert.equal(workflowSource({ NODE_ENV: 'development' }, false).interceptors, undefined);
  // Production, from a directory without a build: the message names the bundle it looked for.
  const cwd = process.cwd();
  process.chdir(bundleDir);
  try {
    assert.throws(() => workflowSource({ NODE_ENV: 'production' }, true), /dist[/\\]workflow-bundle-traced\.js/);
    assert.throws(() => workflowSource({ NODE_ENV: 'production' }, false), /dist[/\\]workflow-bundle\.js/);
  } finally {
    process.chdir(cwd);
  }
});

test('when production loads a prebuilt bundle, then the auction workflow runs from it to the close', async () => {
  const { code } = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
  const bundlePath = path.join(bundleDir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, code);
  const source = workflowSource({ NODE_ENV: 'production', WORKFLOW_BUNDLE_PATH: bundlePath });
  assert.deepEqual(source, { workflowBundle: { codePath: bundlePath } });

  installQuietRuntime();
  const config = testConfig();
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: config.TEMPORAL_ADDRESS });
  const taskQueue = `bundle-${randomUUID()}`;
  const redis = createRedis(config, 'worker');
  const store = new BiddingStore(redis);
  const mail = createMailer(config);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    activities: createActivities({
      db: database.db,
      redis,
      store,
      sales: new SaleStore(redis),
      mail,
      webhooks: webhookDeliveryOptions(config),
      settlement: settlementOptions(config),
    }),
    ...source,
  });
  try {
    const seller = await insertUser(database.db);
    const auction = await insertAuction(database.db, seller.id, new Date(), new Date(Date.now() + 300));
    await openBidding(store, auction);
    const result = await worker.runUntil(
      env.client.workflow.execute(auctionWorkflow, {
        workflowId: auctionWorkflowId(auction.id),
        taskQueue,
        args: [
          {
            auctionId: auction.id,
            sellerId: seller.id,
            startsAt: auction.startsAt.toISOString(),
            endsAt: auction.endsAt.toISOString(),
          },
        ],
      }),
    );
    assert.equal(result.status, 'closed');
  } finally {
    await env.teardown();
    await closeRedis(redis);
    mail.transport.close();
  }
});
