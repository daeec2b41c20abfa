/**
 * A read-model record as the public auction (the same shape as GET /v1/auctions/{id}, from memory:
 * no Postgres row and no Redis read per item), as anyone sees it: the JSON is cached per item and served
 * to every viewer alike (item-json.ts), so bidders show by alias and every account id is null. The
 * reserve is not in the record at all.
 */
import { statusAt } from '../../domain/auction-status.js';
import { aliasName } from '../../domain/bidder-alias.js';
import { presentResult } from '../auctions/presenter.js';
import { saleStatusAt } from '../../domain/sales/sale.js';
import type { ListedAuction, ListedSale } from '../auctions/responses.js';
import { NO_END_MS, type ListingRecord } from './listing-record.js';

export function presentRecord(record: ListingRecord, nowMs: number): ListedAuction | ListedSale {
  return record.kind === 'sale' ? presentSaleRecord(record, nowMs) : presentAuctionRecord(record, nowMs);
}

/** The status an item shows at `nowMs`: a sale's from the clock and its counts, as GET /v1/sales/{id}'s. */
export function shownStatus(record: ListingRecord, nowMs: number): string {
  if (record.kind === 'auction') return statusAt(record.status, record.startsAtMs, nowMs);
  return saleStatusAt(record.status, record, saleWindowOf(record), nowMs);
}

const saleWindowOf = (record: ListingRecord) => ({
  startsAtMs: record.startsAtMs,
  endsAtMs: record.endsAtMs === NO_END_MS ? null : record.endsAtMs,
});

/** What an item says of itself whatever its kind. */
function basicsOf(record: ListingRecord) {
  return {
    id: record.id,
    sellerId: record.sellerId,
    title: record.title,
    description: record.description,
    currency: record.currency,
    category: record.category,
  };
}

function presentSaleRecord(record: ListingRecord, nowMs: number): ListedSale {
  const window = saleWindowOf(record);
  return {
    kind: 'sale',
    ...basicsOf(record),
    price: record.price,
    stock: record.stock,
    available: record.available,
    status: saleStatusAt(record.status, record, window, nowMs),
    startsAt: new Date(record.startsAtMs).toISOString(),
    endsAt: window.endsAtMs === null ? null : new Date(window.endsAtMs).toISOString(),
    createdAt: new Date(record.createdAtMs).toISOString(),
  };
}

function presentAuctionRecord(record: ListingRecord, nowMs: number): ListedAuction {
  return {
    kind: 'auction',
    ...basicsOf(record),
    startingPrice: record.startingPrice,
    currentPrice: record.price,
    minimumNextBid: record.minimumNextBid,
    // Public to everyone, so bidders show by alias only; the winner is the last leader.
    leaderId: null,
    leaderAlias: aliasName(record.leaderAlias),
    bidCount: record.bidCount,
    reserveMet: record.reserveMet,
    buyNowPrice: record.bidCount === 0 ? record.buyNowPrice : null,
    status: statusAt(record.status, record.startsAtMs, nowMs),
    result: record.result && { ...presentResult(record.result, aliasName(record.leaderAlias)), winnerId: null },
    startsAt: new Date(record.startsAtMs).toISOString(),
    endsAt: new Date(record.endsAtMs).toISOString(),
    createdAt: new Date(record.createdAtMs).toISOString(),
    seq: record.seq,
    paymentWindowSeconds: record.paymentWindowSeconds,
    buyersPremiumBps: record.buyersPremiumBps,
    autoSecondChance: record.autoSecondChance,
  };
}
