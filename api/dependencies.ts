/** The API's connections to Postgres, Redis and Temporal, their readiness checks, and their release. */
import { Client, Connection } from '@temporalio/client';
import { temporalConnectionOptions } from '../config/temporal-connection.js';
import { clientTracing } from '../tracing/temporal.js';
import type { Config } from '../config/env.js';
import { closeRedis, createRedis, pingRedis, type RedisClient } from '../config/redis.js';
import { openDatabase, type DatabaseHandle } from '../db/pool.js';
import { BiddingStore } from '../lua/bidding-store.js';
import { SaleStore } from '../lua/sale-store.js';
import { createImageStorage, type ImageStorage } from './images/storage.js';
import type { DependencyCheck } from './readiness.js';

export interface ApiDependencies {
  database: DatabaseHandle;
  redis: RedisClient;
  /** A second connection: a Redis connection in subscriber mode can do nothing else. */
  subscriber: RedisClient;
  /** A third: the listing feed's blocking reads hold it (api/discovery/feed-reader.ts). */
  listingFeed: RedisClient;
  store: BiddingStore;
  /** Flash sales' state in Redis, on the same connection. */
  sales: SaleStore;
  temporal: Client;
  /** The image bucket (S3). Not a readiness check: without it only image uploads and deletes fail (503). */
  imageStorage: ImageStorage;
  readinessChecks: DependencyCheck[];
  close: () => Promise<void>;
}

export function connectDependencies(config: Config): ApiDependencies {
  const database = openDatabase(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  const redis = createRedis(config, 'command');
  redis.on('error', () => undefined); // reported through /readyz, not as a crash
  const subscriber = createRedis(config, 'subscriber');
  subscriber.on('error', () => undefined);
  const listingFeed = createRedis(config, 'feed');
  listingFeed.on('error', () => undefined);
  // Lazy: the API starts (and /readyz says why it is not ready) even while Temporal is still starting.
  const temporalOptions = temporalConnectionOptions(config);
  const connection = Connection.lazy(temporalOptions);
  const temporal = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    interceptors: clientTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined),
  });
  // Readiness reports the state now, so its probe has no retry interceptor: a retry scheduled after
  // the answer was given would outlive the check (and even the connection, at shutdown).
  const probe = Connection.lazy({ ...temporalOptions, interceptors: [] });
  const imageStorage = createImageStorage(config);
  return {
    database,
    redis,
    subscriber,
    listingFeed,
    store: new BiddingStore(redis),
    sales: new SaleStore(redis),
    temporal,
    imageStorage,
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
        // Not quit(): that would wait out a blocking read in progress.
        Promise.resolve(listingFeed.disconnect()),
        connection.close(),
        probe.close(),
      ]);
      imageStorage.close();
    },
  };
}
