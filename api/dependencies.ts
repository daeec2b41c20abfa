/** The API's connections to Postgres, Redis and Temporal, their readiness checks, and their release. */
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import type { Config } from '../config/env.js';
import { openDatabase, type DatabaseHandle } from '../db/pool.js';
import { BiddingStore } from '../lua/bidding-store.js';
import type { DependencyCheck } from './readiness.js';

export interface ApiDependencies {
  database: DatabaseHandle;
  redis: Redis;
  /** A second connection: a Redis connection in subscriber mode can do nothing else. */
  subscriber: Redis;
  store: BiddingStore;
  temporal: Client;
  readinessChecks: DependencyCheck[];
  close: () => Promise<void>;
}

/** Without an offline queue a command fails while the client is still connecting, so wait for it first. */
async function pingRedis(redis: Redis): Promise<void> {
  if (redis.status === 'connecting' || redis.status === 'connect' || redis.status === 'reconnecting') {
    await new Promise<void>((resolve, reject) => {
      const onReady = () => {
        redis.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        redis.off('ready', onReady);
        reject(error);
      };
      redis.once('ready', onReady).once('error', onError);
    });
  }
  await redis.ping();
}

/** quit() lets pending replies arrive, but only a connected client can send it; otherwise stop reconnecting. */
const closeRedis = (redis: Redis) => (redis.status === 'ready' ? redis.quit() : Promise.resolve(redis.disconnect()));

export function connectDependencies(config: Config): ApiDependencies {
  const database = openDatabase(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  // Reconnects forever with backoff; a request fails fast while Redis is away instead of queueing.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => undefined); // reported through /readyz, not as a crash
  // The subscriber keeps its offline queue: subscriptions made while it reconnects are replayed.
  const subscriber = new Redis(config.REDIS_URL);
  subscriber.on('error', () => undefined);
  // Lazy: the API starts (and /readyz says why it is not ready) even while Temporal is still starting.
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  // Readiness reports the state now, so its probe has no retry interceptor: a retry scheduled after
  // the answer was given would outlive the check (and even the connection, at shutdown).
  const probe = Connection.lazy({ address: config.TEMPORAL_ADDRESS, interceptors: [] });
  return {
    database,
    redis,
    subscriber,
    store: new BiddingStore(redis),
    temporal,
    readinessChecks: [
      { name: 'postgres', check: () => database.pool.query('SELECT 1') },
      { name: 'redis', check: () => pingRedis(redis) },
      {
        name: 'temporal',
        // A gRPC deadline, so the call itself ends (and stops retrying) rather than just being abandoned.
        check: () => probe.withDeadline(Date.now() + config.READINESS_TIMEOUT_MS, () => probe.healthService.check({})),
      },
    ],
    close: async () => {
      await Promise.allSettled([
        database.pool.end(),
        closeRedis(redis),
        closeRedis(subscriber),
        connection.close(),
        probe.close(),
      ]);
    },
  };
}
