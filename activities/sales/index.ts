/**
 * The sale workflow's activities (workflows/sales/sale.ts): the persist cycle, the expiry runs, a paid
 * order's hold, and the phase moves. Redis decides claims and ends holds (lua/sale-store.ts); Postgres
 * decides each hold's fate (hold-fates.ts). Each is idempotent: a retry after a crash re-reads,
 * re-inserts with ON CONFLICT DO NOTHING and re-applies conditional updates.
 */
import type { RedisClient } from '../../config/redis.js';
import type { Database } from '../../db/pool.js';
import type { SaleStore } from '../../lua/sale-store.js';
import type { NotificationPipeline } from '../notifications/pipeline.js';
import { createCancelActivity } from './cancel.js';
import { createExpiryActivity } from './expiry.js';
import { createPaidActivity } from './paid.js';
import { createPersistActivity } from './persist.js';
import { createPhaseActivities } from './phases.js';

export interface SaleActivityDeps {
  db: Database;
  redis: RedisClient;
  saleStore: SaleStore;
  pipeline: NotificationPipeline;
}

export function createSaleActivities(deps: SaleActivityDeps) {
  return {
    ...createPersistActivity(deps),
    ...createExpiryActivity(deps),
    ...createPaidActivity(deps),
    ...createPhaseActivities(deps),
    ...createCancelActivity(deps),
  };
}

export type SaleActivities = ReturnType<typeof createSaleActivities>;
