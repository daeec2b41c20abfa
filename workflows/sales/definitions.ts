/** The sale workflow's signals and query, shared by the API (which sends them) and the workflow. */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ClaimsPending, SaleCancelRequest, SaleWorkflowState } from '../../domain/sales/workflow.js';

/** A claim set the sale's wake flag: holds await their orders in Postgres. */
export const claimsPendingSignal = defineSignal<[ClaimsPending]>('claimsPending');
/** The seller cancels: open holds are released, paid orders stay. */
export const cancelSaleSignal = defineSignal<[SaleCancelRequest]>('cancelSale');
/** A payment reached one of the sale's orders (the Stripe webhook): its hold becomes a sale. */
export const saleOrderPaidSignal = defineSignal<[{ orderId: string }]>('saleOrderPaid');
export const saleStateQuery = defineQuery<SaleWorkflowState>('saleState');
