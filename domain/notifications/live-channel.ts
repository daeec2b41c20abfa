/**
 * The pub/sub channel a user's notifications are published on, for that user's live streams in any
 * API process. The hash tag keeps it on one Cluster shard (sharded pub/sub, config/redis-pubsub.ts).
 */
export const userNotificationsChannel = (userId: string) => `user:{${userId}}:notifications`;
