/**
 * A Cluster that asks for a password, as managed ones do: a one-node Redis Cluster (all 16384 slots on
 * one master) of this file's own, with requirepass, on a free port. The app's clients reach it with
 * REDIS_CLUSTER_PASSWORD and are refused without it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Redis, type Cluster } from 'ioredis';
import { parseConfig } from '../config/env.js';
import { closeRedis, createRedis } from '../config/redis.js';
import { freePort } from './helpers/api-process.js';
import { adopt } from './helpers/children.js';

const PASSWORD = 'cluster-auth-test-password';
let port: number;
let server: ChildProcess;
let dir: string;

before(async () => {
  port = await freePort();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gavel-cluster-auth-'));
  server = adopt(
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--cluster-enabled',
        'yes',
        // A node alone has met no one to learn its address from; without this it announces none.
        '--cluster-announce-ip',
        '127.0.0.1',
        '--requirepass',
        PASSWORD,
        '--masterauth',
        PASSWORD,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    ),
  );
  // Retries until the server listens; commands wait in the offline queue meanwhile.
  const admin = new Redis({ port, host: '127.0.0.1', password: PASSWORD, retryStrategy: () => 100 });
  admin.on('error', () => undefined);
  try {
    await admin.ping();
    await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    for (let attempt = 0; !String(await admin.call('CLUSTER', 'INFO')).includes('cluster_state:ok'); attempt++) {
      if (attempt > 100) throw new Error('the one-node cluster never became ok');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    admin.disconnect();
  }
});

after(() => {
  server.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

const settings = (env: Record<string, string>) => parseConfig({ REDIS_CLUSTER_NODES: `127.0.0.1:${port}`, ...env });

test("when REDIS_CLUSTER_PASSWORD is the cluster's, then commands and scripts run on it", async () => {
  const client = createRedis(settings({ REDIS_CLUSTER_PASSWORD: PASSWORD }), 'worker') as Cluster;
  try {
    await client.set('{auth-check}:a', '41');
    assert.equal(await client.eval("return redis.call('INCR', KEYS[1])", 1, '{auth-check}:a'), 42);
  } finally {
    await closeRedis(client);
  }
});

test('when no password is set, then the cluster refuses the client and says it needs one', async () => {
  const client = createRedis(settings({}), 'worker');
  try {
    const refused = await Promise.race([
      new Promise<Error & { lastNodeError?: Error }>((resolve) => client.once('error', resolve)),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no error within 10 s')), 10_000).unref()),
    ]);
    assert.match(`${refused.message}: ${refused.lastNodeError?.message}`, /NOAUTH Authentication required/);
  } finally {
    client.disconnect();
  }
});
