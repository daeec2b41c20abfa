/**
 * The end-to-end tests' own app on the test stack that `npm test` brought up (its addresses are in
 * process.env: scripts/stack/profiles.ts serviceEnv): a database and a task queue of their own, a
 * worker process, the test OpenID provider and an API process serving the built web app (web/dist).
 * The browser reaches all of it at one origin, http://127.0.0.1:<port>, the page and the SSO redirect
 * URI alike, so the session cookies the API sets are sent back. Returns the teardown.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { freePort, spawnApi } from '../helpers/api-process.js';
import { createTestDatabase } from '../helpers/database.js';
import { startOidcProvider, type TestAccount } from '../helpers/oidc-provider.js';
import { spawnWorker, stopWorker, workerEnvFor, type WorkerProcess } from '../helpers/worker-process.js';
import { E2E_ADMIN_EMAIL, E2E_BASE_URL, SSO_PROVIDER } from './env.js';

/** Orders payable in seconds, not hours; the rest as the supervisor's `npm start` has it. */
const APP_ENV = { SETTLEMENT_MIN_WINDOW_SECONDS: '60', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' };

async function untilPolling(address: string, taskQueue: string, worker: WorkerProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    for (;;) {
      if (worker.process.exitCode !== null) throw new Error(`the worker exited (${worker.process.exitCode})`);
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: taskQueue },
        taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      if (pollers?.some((poller) => poller.identity?.startsWith(`${worker.process.pid}@`))) return;
      if (Date.now() > deadline) throw new Error('the worker is not polling after 90 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await connection.close();
  }
}

/** Any login name typed at the provider's login page signs in: `ann` as "ann" <ann@sso.example.test>. */
function anyLoginSignsIn(accounts: Map<string, TestAccount>): void {
  accounts.get = (id: string) => ({ email: `${id}@sso.example.test`, emailVerified: true, name: id });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const database = await createTestDatabase();
  const taskQueue = `e2e-${randomUUID()}`;
  const worker = spawnWorker({ ...APP_ENV, ...workerEnvFor(database.url, taskQueue) });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const redirectUri = `${baseUrl}/v1/auth/sso/${SSO_PROVIDER.id}/callback`;
  const provider = await startOidcProvider({
    claimsInIdToken: true,
    clients: [{ clientId: 'gavel-e2e', clientSecret, redirectUris: [redirectUri] }],
  });
  anyLoginSignsIn(provider.accounts);
  const [api] = await Promise.all([
    spawnApi(
      {
        ...APP_ENV,
        DATABASE_URL: database.url,
        TEMPORAL_TASK_QUEUE: taskQueue,
        PUBLIC_URL: baseUrl,
        ADMIN_EMAILS: E2E_ADMIN_EMAIL,
        OIDC_PROVIDERS: JSON.stringify([
          { ...SSO_PROVIDER, issuer: provider.issuer, clientId: 'gavel-e2e', clientSecret, redirectUri },
        ]),
      },
      port,
    ),
    untilPolling(process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', taskQueue, worker),
  ]);
  // Read by playwright.config.ts in the test workers, which start after this and inherit it.
  process.env[E2E_BASE_URL] = baseUrl;

  return async () => {
    api.process.kill('SIGTERM');
    await api.exited;
    await stopWorker(worker, 15_000);
    await provider.close();
    await database.drop();
  };
}
