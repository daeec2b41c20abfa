/** Every activity the auction workflow calls, built from the worker's dependencies. */
import type { RedisClient } from '../config/redis.js';
import type { Database } from '../db/pool.js';
import type { BiddingStore } from '../lua/bidding-store.js';
import { createAuctionStatusActivities } from './auction-status.js';
import { createBiddingActivities } from './bidding.js';

export interface ActivityDeps {
  db: Database;
  redis: RedisClient;
  store: BiddingStore;
  /** Aborted when the worker begins to shut down, so long-running activities wind up early. */
  stopping?: AbortSignal;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createAuctionStatusActivities(deps.db, deps.redis),
    ...createBiddingActivities(deps.db, deps.redis, deps.store, deps.stopping),
  };
}

export type Activities = ReturnType<typeof createActivities>;
