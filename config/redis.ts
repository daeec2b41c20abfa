/**
 * Every Redis client of the app is made here: one server (REDIS_URL), or a Cluster when
 * REDIS_CLUSTER_NODES is set. Callers hold a `RedisClient` and need not know which; the few places
 * where the two differ (pub/sub) ask `client.isCluster` (config/redis-pubsub.ts).
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Config } from './env.js';

export type RedisClient = Redis | Cluster;

/** What a connection is for: each use wants its own behaviour while Redis is away. */
export type RedisUse = 'command' | 'subscriber' | 'worker' | 'feed';

const OPTIONS: Record<RedisUse, RedisOptions> = {
  // The API: reconnects forever with backoff, but a request fails fast while Redis is away instead of
  // queueing. Commands sent in the same tick go out in one write: a crowd's claims and bids arrive many
  // to a tick, and a socket write per command was the largest cost of the claim route after the script.
  command: { maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: true },
  // Keeps its offline queue: subscriptions made while it reconnects are replayed.
  subscriber: {},
  // Activities retry on their own; commands queue while Redis reconnects instead of failing at once.
  worker: {},
  // The listing feed's blocking reads (api/discovery/feed-reader.ts): held for seconds, so a connection
  // of their own; a read waits for a reconnect like the worker's commands.
  feed: {},
};

/** The credentials and TLS apply to a Cluster only; unset, none. */
export type RedisSettings = Pick<Config, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'> &
  Partial<Pick<Config, 'REDIS_CLUSTER_USERNAME' | 'REDIS_CLUSTER_PASSWORD' | 'REDIS_CLUSTER_TLS'>>;

export function createRedis(config: RedisSettings, use: RedisUse): RedisClient {
  const options = OPTIONS[use];
  // One server takes its credentials and TLS (rediss://) from the URL.
  if (config.REDIS_CLUSTER_NODES === undefined) return new Redis(config.REDIS_URL, options);
  // A Cluster never pipelines on its own: ioredis routes an automatic pipeline by the first argument of
  // its first command, which for EVALSHA is the script's hash, not a key, so scripts on other nodes'
  // slots fail (https://github.com/redis/ioredis/issues/2109; test:cluster shows it).
  const nodeOptions: RedisOptions = {
    ...options,
    enableAutoPipelining: false,
    username: config.REDIS_CLUSTER_USERNAME,
    password: config.REDIS_CLUSTER_PASSWORD,
    tls: config.REDIS_CLUSTER_TLS ? {} : undefined,
  };
  return new Cluster(config.REDIS_CLUSTER_NODES, {
    // The Cluster queues (or not) as a whole; its per-node connections take the rest of the options.
    enableOfflineQueue: options.enableOfflineQueue ?? true,
    redisOptions: nodeOptions,
    // Over TLS the nodes are reached by the names they announce, not addresses resolved here, so each
    // node's certificate is checked against its name (managed clusters announce names).
    ...(config.REDIS_CLUSTER_TLS
      ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) }
      : {}),
    // One subscriber connection per master, each holding the channels of its own slots (SSUBSCRIBE).
    shardedSubscribers: use === 'subscriber',
  });
}

/** Resolves once the client is connected (or rejects with why not); a client without an offline queue needs it. */
async function whenReady(redis: RedisClient): Promise<void> {
  if (redis.status !== 'connecting' && redis.status !== 'connect' && redis.status !== 'reconnecting') return;
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

/** Readiness: the server answers; on a Cluster every master does, since any of them may own an auction. */
export async function pingRedis(redis: RedisClient): Promise<void> {
  await whenReady(redis);
  if (!(redis instanceof Cluster)) {
    await redis.ping();
    return;
  }
  const masters = redis.nodes('master');
  if (masters.length === 0) throw new Error(`no cluster master known (client ${redis.status})`);
  await Promise.all(masters.map((node) => node.ping()));
}

/** quit() lets pending replies arrive, but only a connected client can send it; otherwise stop reconnecting. */
export const closeRedis = (redis: RedisClient): Promise<unknown> =>
  redis.status === 'ready' ? redis.quit() : Promise.resolve(redis.disconnect());
