/**
 * Auction events travel on Redis pub/sub: classic on one server (as always), sharded on a Cluster.
 * A classic PUBLISH on a Cluster is broadcast over the cluster bus to every node, whoever listens;
 * SPUBLISH reaches only the shard that owns the channel's slot, which is the auction's own (its
 * channel carries the auction's hash tag), so events cost the same however many shards there are.
 * The choice follows the client, so publishers and subscribers of one deployment always agree.
 */
import type { RedisClient } from './redis.js';

export type PublishCommand = 'PUBLISH' | 'SPUBLISH';

/** The command a Lua script publishes with, passed to it as an argument. */
export const publishCommand = (client: RedisClient): PublishCommand => (client.isCluster ? 'SPUBLISH' : 'PUBLISH');

export const publish = (client: RedisClient, channel: string, message: string): Promise<unknown> =>
  client.isCluster ? client.spublish(channel, message) : client.publish(channel, message);

export const subscribe = (client: RedisClient, channel: string): Promise<unknown> =>
  client.isCluster ? client.ssubscribe(channel) : client.subscribe(channel);

export const unsubscribe = (client: RedisClient, channel: string): Promise<unknown> =>
  client.isCluster ? client.sunsubscribe(channel) : client.unsubscribe(channel);

/** Calls `listener` for every message on any channel the client has subscribed to. */
export function onMessage(client: RedisClient, listener: (channel: string, message: string) => void): void {
  client.on(client.isCluster ? 'smessage' : 'message', listener);
}
