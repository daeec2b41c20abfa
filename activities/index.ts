/** Every activity the workflows call (auctions, notifications, the outbox dispatch, settlement, flash sales, promotions), built from the worker's dependencies. */
import type { Transporter } from 'nodemailer';
import type { RedisClient } from '../config/redis.js';
import type { Database } from '../db/pool.js';
import type { BiddingStore } from '../lua/bidding-store.js';
import type { SaleStore } from '../lua/sale-store.js';
import { createAuctionStatusActivities } from './auction-status.js';
import { createBiddingActivities } from './bidding.js';
import type { EmailOptions } from './notifications/email-sender.js';
import { createNotificationActivities } from './notifications/index.js';
import { NotificationPipeline } from './notifications/pipeline.js';
import { createPromotionActivities } from './promotions/index.js';
import { createSaleActivities } from './sales/index.js';
import type { WebhookDeliveryOptions } from './notifications/webhook-delivery.js';
import type { ActivityMetrics } from './metrics.js';
import { createSettlementActivities, type SettlementDeps } from './settlement/index.js';

export interface ActivityDeps {
  db: Database;
  redis: RedisClient;
  store: BiddingStore;
  /** Flash sales' state in Redis (the sale workflow's activities). */
  sales: SaleStore;
  /** Aborted when the worker begins to shut down, so long-running activities wind up early. */
  stopping?: AbortSignal;
  /** Outbid notifications from the persist cycle (config OUTBID_NOTIFICATIONS); on unless said otherwise. */
  outbids?: boolean;
  /** The SMTP transport notification mail goes out through, and how. */
  mail: { transport: Transporter; options: Omit<EmailOptions, 'stopping'> };
  /** How webhooks are delivered (webhookDeliveryOptions(config)). */
  webhooks: Omit<WebhookDeliveryOptions, 'stopping'>;
  /** The settlement's rules from config (settlementOptions(config)). */
  settlement: SettlementDeps['options'];
  /** Where the persist lag and delivery outcomes are reported (the worker's /metrics); none by default. */
  metrics?: ActivityMetrics;
}

export function createActivities(deps: ActivityDeps) {
  const stopping = deps.stopping ?? new AbortController().signal;
  const pipeline = new NotificationPipeline(deps.db, deps.redis);
  return {
    ...createAuctionStatusActivities(deps.db, deps.redis),
    ...createBiddingActivities(
      deps.db,
      deps.redis,
      deps.store,
      deps.outbids === false ? null : pipeline,
      stopping,
      deps.metrics,
    ),
    ...createNotificationActivities({
      db: deps.db,
      pipeline,
      mail: { transport: deps.mail.transport, options: { ...deps.mail.options, stopping, metrics: deps.metrics } },
      webhooks: { ...deps.webhooks, stopping, metrics: deps.metrics },
    }),
    ...createSettlementActivities({ db: deps.db, redis: deps.redis, pipeline, options: deps.settlement }),
    ...createSaleActivities({ db: deps.db, redis: deps.redis, saleStore: deps.sales, pipeline }),
    ...createPromotionActivities(deps.db, deps.store),
  };
}

export type Activities = ReturnType<typeof createActivities>;
