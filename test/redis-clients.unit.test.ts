import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cluster, Redis } from 'ioredis';
import { createRedis, type RedisUse } from '../config/redis.js';

// Nothing listens on these ports: each client is disconnected before its first connection attempt ends.
const SERVER = { REDIS_URL: 'redis://127.0.0.1:1', REDIS_CLUSTER_NODES: undefined };
const CLUSTER = { REDIS_URL: 'redis://127.0.0.1:1', REDIS_CLUSTER_NODES: [{ host: '127.0.0.1', port: 1 }] };

function made(config: typeof SERVER | typeof CLUSTER, use: RedisUse) {
  const client = createRedis(config, use);
  client.on('error', () => undefined);
  client.disconnect();
  return client;
}

test('when the API sends commands to one server, then those of one tick go out as one pipeline', () => {
  assert.equal((made(SERVER, 'command') as Redis).options.enableAutoPipelining, true);
  assert.notEqual((made(SERVER, 'worker') as Redis).options.enableAutoPipelining, true);
});

test('when the API talks to a Cluster, then nothing pipelines on its own (ioredis would route EVALSHA by its hash)', () => {
  const cluster = made(CLUSTER, 'command') as Cluster;
  assert.notEqual(cluster.options.enableAutoPipelining, true);
  assert.equal(cluster.options.redisOptions?.enableAutoPipelining, false);
  // The rest of the command connection's behaviour is kept: fail fast while Redis is away.
  assert.equal(cluster.options.enableOfflineQueue, false);
});

test('when a Cluster asks for a password and TLS, then every node connection sends them and checks each node by its name', async () => {
  const cluster = createRedis(
    { ...CLUSTER, REDIS_CLUSTER_USERNAME: 'gavel', REDIS_CLUSTER_PASSWORD: 'secret', REDIS_CLUSTER_TLS: true },
    'command',
  ) as Cluster;
  cluster.on('error', () => undefined);
  cluster.disconnect();
  assert.equal(cluster.options.redisOptions?.username, 'gavel');
  assert.equal(cluster.options.redisOptions?.password, 'secret');
  assert.deepEqual(cluster.options.redisOptions?.tls, {});
  const resolved = await new Promise((resolve) =>
    cluster.options.dnsLookup!('node-1.cache.example', (_, address) => resolve(address)),
  );
  assert.equal(resolved, 'node-1.cache.example', 'not resolved to an address the certificate does not name');
  assert.equal((made(CLUSTER, 'command') as Cluster).options.redisOptions?.tls, undefined);
});
