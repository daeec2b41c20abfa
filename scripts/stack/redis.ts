/** Redis from the system's packages: own port and folder, AOF on (appendfsync everysec). */
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startChild, type Child } from './child.js';
import type { Profile } from './profiles.js';
import { waitUntilReady } from './wait.js';

/** One command on a short-lived connection that never retries: a probe answers now or fails. */
export async function askRedis(port: number, ...command: [string, ...string[]]): Promise<string> {
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
    return String(await redis.call(...command));
  } finally {
    redis.disconnect();
  }
}

/** AOF on with fsync every second, no RDB snapshots, in the foreground (the supervisor owns the process). */
export const DURABLE_FOREGROUND = [
  '--appendonly',
  'yes',
  '--appendfsync',
  'everysec',
  '--save',
  '',
  '--daemonize',
  'no',
];

export async function startRedis(p: Profile): Promise<Child> {
  const dir = path.join(p.stateDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const child = startChild({
    name: 'redis',
    argv: ['redis-server', '--port', String(p.redisPort), '--bind', '127.0.0.1', '--dir', dir, ...DURABLE_FOREGROUND],
    logFile: path.join(p.logDir, 'redis.log'),
  });
  await waitUntilReady(child, () => askRedis(p.redisPort, 'PING'), 20_000);
  return child;
}
