/** The workflow bundle's entry: every workflow the worker runs. */
export { auctionWorkflow } from './auction.js';
export { outboxDispatchWorkflow } from './notifications/outbox-dispatch.js';
export { settlementWorkflow } from './settlement/settlement.js';
export { saleWorkflow } from './sales/sale.js';
export { promotionFiringWorkflow } from './promotions/firing.js';
