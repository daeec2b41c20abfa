/**
 * The local stack's promise to `npm start` users: stopping and starting again keeps the data of
 * Postgres, Redis (AOF; a Cluster's nodes.conf too), Temporal (its db file), MinIO (its folder) and
 * Mailpit (its db file).
 * Exercised with the real provisioning code, on a durable profile of its own (own folder and ports),
 * so it never touches the dev or test stacks.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Cluster, Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import pg from 'pg';
import type { Child } from '../scripts/stack/child.js';
import { startMailpit } from '../scripts/stack/mailpit.js';
import { startPostgres } from '../scripts/stack/postgres.js';
import {
  DATABASE_PASSWORD,
  DATABASE_USER,
  mailpitUrl,
  S3_BUCKET,
  s3Endpoint,
  smtpUrl,
  stateRoot,
  type Profile,
} from '../scripts/stack/profiles.js';
import { startRedis } from '../scripts/stack/redis.js';
import { startRedisCluster } from '../scripts/stack/redis-cluster.js';
import { localS3Client, startS3 } from '../scripts/stack/s3.js';
import { stopService } from '../scripts/stack/stop.js';
import { startTemporal } from '../scripts/stack/temporal.js';

const slot = Number(process.env.GAVEL_TEST_SLOT ?? 0) * 10;
const stateDir = path.join(stateRoot, `persistence-${slot}`);
const profile: Profile = {
  name: 'persistence',
  stateDir,
  lockFile: path.join(stateDir, 'unused.lock.json'),
  logDir: path.join(stateDir, 'logs'),
  fresh: false,
  fast: false,
  postgresPort: 5546 + slot,
  redisPort: 6392 + slot,
  redis: 'single',
  redisClusterPorts: [],
  temporalPort: 7235 + slot,
  temporalUiPort: 8235 + slot,
  temporalDbFile: path.join(stateDir, 'temporal', 'temporal.db'),
  s3Port: 9103 + slot,
  smtpPort: 1127 + slot,
  mailpitHttpPort: 8127 + slot,
  // Named only: stripe-mock keeps nothing to persist.
  stripeMockPort: 12213 + slot,
  stripeMockHttpsPort: 12214 + slot,
};

fs.rmSync(stateDir, { recursive: true, force: true });
let running: Child[] = [];
const up = async () => {
  running = await Promise.all([startPostgres(profile), startRedis(profile), startTemporal(profile)]);
};
const down = async () => {
  for (const child of running.reverse()) await stopService(child);
  running = [];
};
after(down);

async function withPostgres<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: profile.postgresPort,
    user: DATABASE_USER,
    password: DATABASE_PASSWORD,
    database: 'gavel',
  });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function withRedis<T>(run: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ port: profile.redisPort, host: '127.0.0.1' });
  try {
    return await run(redis);
  } finally {
    redis.disconnect();
  }
}

async function withTemporal<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: `127.0.0.1:${profile.temporalPort}` });
  try {
    return await run(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

test('when the stack is stopped and started again, then Postgres, Redis and Temporal keep their data', async () => {
  await up();
  await withPostgres((client) => client.query("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('row')"));
  await withRedis((redis) => redis.set('kept', 'key'));
  // No worker polls this queue: the workflow just waits, as a long auction would.
  await withTemporal((client) =>
    client.workflow.start('auctionWorkflow', { workflowId: 'kept-workflow', taskQueue: 'nobody-polls', args: [] }),
  );
  await down();

  await up(); // also proves start-dev accepts re-registering the search attributes on an existing db
  assert.deepEqual(
    await withPostgres(async (client) => (await client.query<{ v: string }>('SELECT v FROM kept')).rows),
    [{ v: 'row' }],
  );
  assert.equal(await withRedis((redis) => redis.get('kept')), 'key');
  const description = await withTemporal((client) => client.workflow.getHandle('kept-workflow').describe());
  assert.equal(description.status.name, 'RUNNING');
});

test('when the local S3 (MinIO) is stopped and started again, then its bucket and objects are kept', async () => {
  await down(); // whatever an earlier test left running
  const withS3 = async <T>(run: (client: S3Client) => Promise<T>): Promise<T> => {
    const client = localS3Client(s3Endpoint(profile));
    try {
      return await run(client);
    } finally {
      client.destroy();
    }
  };
  running = [await startS3(profile)]; // makes the bucket
  await withS3((client) => client.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: 'kept', Body: 'object' })));
  await down();

  running = [await startS3(profile)]; // finds the bucket there: no error making it again
  const kept = await withS3(async (client) => {
    const object = await client.send(new GetObjectCommand({ Bucket: S3_BUCKET, Key: 'kept' }));
    return object.Body?.transformToString();
  });
  assert.equal(kept, 'object');
});

test('when the local Mailpit is stopped and started again, then the mail it caught is kept', async () => {
  await down(); // whatever an earlier test left running
  running = [await startMailpit(profile)];
  const transport = nodemailer.createTransport(smtpUrl(profile));
  try {
    await transport.sendMail({ from: 'a@gavel.test', to: 'b@gavel.test', subject: 'kept', text: 'mail' });
  } finally {
    transport.close();
  }
  await down();

  running = [await startMailpit(profile)];
  const listed = (await (await fetch(`${mailpitUrl(profile)}/api/v1/messages`)).json()) as {
    messages: { Subject: string }[];
  };
  assert.deepEqual(
    listed.messages.map((message) => message.Subject),
    ['kept'],
  );
});

test('when the Redis Cluster is stopped and started again, then it comes back with its slots and every node’s data', async () => {
  const clusterProfile: Profile = {
    ...profile,
    redis: 'cluster',
    redisClusterPorts: [6393 + slot, 6394 + slot, 6395 + slot],
  };
  const withCluster = async <T>(run: (cluster: Cluster) => Promise<T>): Promise<T> => {
    const cluster = new Cluster(clusterProfile.redisClusterPorts.map((port) => ({ host: '127.0.0.1', port })));
    try {
      return await run(cluster);
    } finally {
      cluster.disconnect();
    }
  };
  const keys = Array.from({ length: 30 }, (_, i) => `kept-${i}`);
  await down(); // whatever an earlier test left running
  running = await startRedisCluster(clusterProfile);
  const perNode = await withCluster(async (cluster) => {
    await Promise.all(keys.map((key) => cluster.set(key, key)));
    return Promise.all(cluster.nodes('master').map((node) => node.dbsize()));
  });
  assert.ok(perNode.length === 3 && perNode.every((count) => count > 0), `keys per master: ${perNode.join(', ')}`);
  await down();

  running = await startRedisCluster(clusterProfile); // from nodes.conf: creating it again would fail on non-empty nodes
  assert.deepEqual(await withCluster((cluster) => Promise.all(keys.map((key) => cluster.get(key)))), keys);
});
