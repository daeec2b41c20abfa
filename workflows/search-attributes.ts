/** Typed search attributes, so operators can filter auctions in the Temporal UI by status, end and seller. */
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
