/** Redis facts a test checks, on one server or a Cluster alike. */
import { Cluster } from 'ioredis';
import type { RedisClient } from '../../config/redis.js';

const countOf = (reply: unknown) => Number((reply as [string, number])[1]);

/** How many connections listen on a channel, classic or sharded (config/redis-pubsub.ts). */
export async function subscriberCount(redis: RedisClient, channel: string): Promise<number> {
  if (!(redis instanceof Cluster)) return countOf(await redis.pubsub('NUMSUB', channel));
  // A sharded subscription lives on the master that owns the channel's slot; asking them all finds it.
  const counts = await Promise.all(
    redis.nodes('master').map(async (node) => countOf(await node.pubsub('SHARDNUMSUB', channel))),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

/** Redis's own clock, in ms: what the scripts decide by (TIME). */
export async function redisNowMs(redis: RedisClient): Promise<number> {
  const [seconds, micros] = (await redis.time()).map(Number);
  return seconds! * 1000 + Math.floor(micros! / 1000);
}
