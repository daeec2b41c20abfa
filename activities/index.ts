/** Every activity the auction workflow calls, built from the worker's dependencies. */
import type { Database } from '../db/pool.js';
import { createAuctionStatusActivities } from './auction-status.js';

export interface ActivityDeps {
  db: Database;
}

export function createActivities(deps: ActivityDeps) {
  return { ...createAuctionStatusActivities(deps.db) };
}

export type Activities = ReturnType<typeof createActivities>;
