/**
 * Signals, updates and the query of the settlement workflow, shared by the workflow and its callers.
 * The API asks by update where it must answer with the outcome (an offer made, an offer answered, a
 * relist allowed); the payment webhook and operators (Temporal UI) send signals.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Offer } from '../../domain/settlement/offer.js';
import type {
  CancelOrderRequest,
  ExtendPayByRequest,
  ManualPayment,
  OfferAnswer,
  OfferAnswerResult,
  OrderChanged,
  SettlementState,
} from '../../domain/settlement/workflow.js';

/** The order changed in Postgres (a payment, a refund): read it again. */
export const orderChangedSignal = defineSignal<[OrderChanged]>('orderChanged');
/** Ops: the buyer paid some other way. */
export const markOrderPaidSignal = defineSignal<[ManualPayment]>('markOrderPaid');
/** Ops: the order is void; no strike for the buyer. */
export const cancelOrderSignal = defineSignal<[CancelOrderRequest]>('cancelOrder');
/** Ops: give the buyer until a later payBy. */
export const extendPayBySignal = defineSignal<[ExtendPayByRequest]>('extendPayBy');

/** The seller offers the lot to the next bidder; answers the offer made. */
export const offerSecondChanceUpdate = defineUpdate<Offer, [{ offerWindowSeconds?: number }]>('offerSecondChance');
/** The offered bidder accepts (an order with its own window) or declines. */
export const answerOfferUpdate = defineUpdate<OfferAnswerResult, [OfferAnswer]>('answerOffer');
/** The seller relists the lot: no offer may follow, and the settlement ends. */
export const relistUpdate = defineUpdate<void, []>('relist');

export const settlementStateQuery = defineQuery<SettlementState>('settlementState');
