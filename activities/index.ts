/** Every activity the workflows call (auctions, the outbox dispatch), built from the worker's dependencies. */
import { envSchema } from '../config/env.js';
import type { RedisClient } from '../config/redis.js';
import type { Database } from '../db/pool.js';
import type { BiddingStore } from '../lua/bidding-store.js';
import { createAuctionStatusActivities } from './auction-status.js';
import { createBiddingActivities } from './bidding.js';
import {
  createWebhookDeliveryActivities,
  type WebhookDeliveryOptions,
  webhookDeliveryOptions,
} from './notifications/webhook-delivery.js';

export interface ActivityDeps {
  db: Database;
  redis: RedisClient;
  store: BiddingStore;
  /** Aborted when the worker begins to shut down, so long-running activities wind up early. */
  stopping?: AbortSignal;
  /** Webhook delivery settings (webhookDeliveryOptions(config)); absent, the production defaults. */
  webhooks?: WebhookDeliveryOptions;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createAuctionStatusActivities(deps.db, deps.redis),
    ...createBiddingActivities(deps.db, deps.redis, deps.store, deps.stopping),
    ...createWebhookDeliveryActivities(
      deps.db,
      deps.webhooks ?? webhookDeliveryOptions(envSchema.parse({}), deps.stopping),
    ),
  };
}

export type Activities = ReturnType<typeof createActivities>;
