/** The settlement's activities: the live order's clock and the second-chance offers. */
import type { RedisClient } from '../../config/redis.js';
import type { Database } from '../../db/pool.js';
import type { StrikePolicy } from '../../domain/settlement/strikes.js';
import type { NotificationPipeline } from '../notifications/pipeline.js';
import { SettlementNotices } from './notices.js';
import { createOfferActivities } from './offers.js';
import { createOrderActivities, type SettlementOptions } from './orders.js';

export interface SettlementDeps {
  db: Database;
  redis: RedisClient;
  pipeline: NotificationPipeline;
  options: SettlementOptions & { strikes: StrikePolicy };
}

export function createSettlementActivities({ db, redis, pipeline, options }: SettlementDeps) {
  const notices = new SettlementNotices(pipeline);
  return {
    ...createOrderActivities(db, redis, notices, options),
    ...createOfferActivities(db, notices, options.strikes),
  };
}

/** From the worker's config: the house's fee, the offers' windows, the strike rule. */
export const settlementOptions = (config: {
  SELLER_FEE_BPS: number;
  SECOND_CHANCE_OFFER_WINDOW_SECONDS: number;
  SECOND_CHANCE_DECISION_SECONDS: number;
  UNPAID_STRIKES_TO_BLOCK: number;
  UNPAID_STRIKE_WINDOW_DAYS: number;
}): SettlementDeps['options'] => ({
  sellerFeeBps: config.SELLER_FEE_BPS,
  offerWindowSeconds: config.SECOND_CHANCE_OFFER_WINDOW_SECONDS,
  sellerDecisionSeconds: config.SECOND_CHANCE_DECISION_SECONDS,
  strikes: { toBlock: config.UNPAID_STRIKES_TO_BLOCK, windowDays: config.UNPAID_STRIKE_WINDOW_DAYS },
});
