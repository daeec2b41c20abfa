/**
 * A read-model record as the public auction (the same shape as GET /v1/auctions/{id}, from memory:
 * no Postgres row and no Redis read per item). The reserve is not in the record at all.
 */
import { statusAt } from '../../domain/auction-status.js';
import { presentResult } from '../auctions/presenter.js';
import type { PublicAuction } from '../auctions/responses.js';
import type { ListingRecord } from './listing-record.js';

export function presentRecord(record: ListingRecord, nowMs: number): PublicAuction {
  return {
    id: record.id,
    sellerId: record.sellerId,
    title: record.title,
    description: record.description,
    currency: record.currency,
    category: record.category,
    startingPrice: record.startingPrice,
    currentPrice: record.price,
    minimumNextBid: record.minimumNextBid,
    leaderId: record.leaderId,
    bidCount: record.bidCount,
    reserveMet: record.reserveMet,
    buyNowPrice: record.bidCount === 0 ? record.buyNowPrice : null,
    status: statusAt(record.status, record.startsAtMs, nowMs),
    result: record.result && presentResult(record.result),
    startsAt: new Date(record.startsAtMs).toISOString(),
    endsAt: new Date(record.endsAtMs).toISOString(),
    createdAt: new Date(record.createdAtMs).toISOString(),
    seq: record.seq,
    paymentWindowSeconds: record.paymentWindowSeconds,
    buyersPremiumBps: record.buyersPremiumBps,
    autoSecondChance: record.autoSecondChance,
  };
}
