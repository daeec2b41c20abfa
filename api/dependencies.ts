/** The API's connections to Postgres, Redis and Temporal, their readiness checks, and their release. */
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import type { Config } from '../config/env.js';
import { openDatabase, type DatabaseHandle } from '../db/pool.js';
import type { DependencyCheck } from './readiness.js';

export interface ApiDependencies {
  database: DatabaseHandle;
  redis: Redis;
  temporal: Client;
  readinessChecks: DependencyCheck[];
  close: () => Promise<void>;
}

export function connectDependencies(config: Config): ApiDependencies {
  const database = openDatabase(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  // Reconnects forever with backoff; a request fails fast while Redis is away instead of queueing.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => undefined); // reported through /readyz, not as a crash
  // Lazy: the API starts (and /readyz says why it is not ready) even while Temporal is still starting.
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  return {
    database,
    redis,
    temporal,
    readinessChecks: [
      { name: 'postgres', check: () => database.pool.query('SELECT 1') },
      { name: 'redis', check: () => redis.ping() },
      { name: 'temporal', check: () => connection.healthService.check({}) },
    ],
    close: async () => {
      await Promise.allSettled([database.pool.end(), redis.quit(), connection.close()]);
    },
  };
}
