/** Typed search attributes, so operators can filter auctions (status, end, seller), settlements and sales in the Temporal UI. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../domain/temporal-names.js';

export const auctionStatusKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.status.name, SearchAttributeType.KEYWORD);
export const auctionEndsAtKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.endsAt.name, SearchAttributeType.DATETIME);
export const auctionSellerIdKey = defineSearchAttributeKey(
  SEARCH_ATTRIBUTES.sellerId.name,
  SearchAttributeType.KEYWORD,
);
export const orderStatusKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.orderStatus.name, SearchAttributeType.KEYWORD);
export const settlementPhaseKey = defineSearchAttributeKey(
  SEARCH_ATTRIBUTES.settlementPhase.name,
  SearchAttributeType.KEYWORD,
);
export const orderPayByKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.payBy.name, SearchAttributeType.DATETIME);
/** A flash sale's status as a client sees it (domain/sales/sale.ts saleStatusAt): scheduled, open, sold_out, closed, cancelled. */
export const saleStatusKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.saleStatus.name, SearchAttributeType.KEYWORD);
