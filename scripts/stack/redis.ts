/** Redis from the system's packages: own port and folder, AOF on (appendfsync everysec). */
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startChild, type Child } from './child.js';
import type { Profile } from './profiles.js';
import { waitUntilReady } from './wait.js';

async function ping(port: number): Promise<void> {
  const redis = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined); // the failed connect() below is the answer; no unhandled-error noise
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

export async function startRedis(p: Profile): Promise<Child> {
  const dir = path.join(p.stateDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const child = startChild({
    name: 'redis',
    argv: [
      'redis-server',
      '--port',
      String(p.redisPort),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--daemonize',
      'no',
    ],
    logFile: path.join(p.logDir, 'redis.log'),
  });
  await waitUntilReady(child, () => ping(p.redisPort), 20_000);
  return child;
}
