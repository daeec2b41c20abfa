/** Workflow IDs, task queues and search attribute names: one definition each, never scattered literals. */

export const AUCTION_TASK_QUEUE = 'auctions';

export const auctionWorkflowId = (auctionId: string): string => `auction-${auctionId}`;

/** Custom search attributes, registered on the Temporal server by scripts/ and compose. */
export const SEARCH_ATTRIBUTES = {
  status: { name: 'AuctionStatus', type: 'Keyword' },
  endsAt: { name: 'AuctionEndsAt', type: 'Datetime' },
  sellerId: { name: 'AuctionSellerId', type: 'Keyword' },
  orderStatus: { name: 'OrderStatus', type: 'Keyword' },
  settlementPhase: { name: 'SettlementPhase', type: 'Keyword' },
  payBy: { name: 'OrderPayBy', type: 'Datetime' },
  saleStatus: { name: 'SaleStatus', type: 'Keyword' },
} as const;

/** The outboxes the notification pipeline delivers from, each drained by one long-lived workflow. */
export const OUTBOXES = ['email', 'webhook'] as const;
export type Outbox = (typeof OUTBOXES)[number];

/** One dispatcher per outbox per task queue: a test run's queues each get their own, production has one. */
export const outboxDispatchWorkflowId = (outbox: Outbox, taskQueue: string): string =>
  `notifications-dispatch-${outbox}-${taskQueue}`;

/** One settlement per sold auction. */
export const settlementWorkflowId = (auctionId: string): string => `settlement-${auctionId}`;

/** One workflow per flash sale: its open and close, and every hold's expiry. */
export const saleWorkflowId = (saleId: string): string => `sale-${saleId}`;

/**
 * One Temporal Schedule per promotion; each firing is a workflow the schedule starts, whose id (the
 * schedule's workflow id with the firing time appended) names the firing in promotion_firings.
 */
export const promotionScheduleId = (promotionId: string): string => `promotion-${promotionId}`;
export const promotionFiringWorkflowId = (promotionId: string): string => `promotion-firing-${promotionId}`;
