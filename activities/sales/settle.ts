/**
 * Carries out in Redis what Postgres decided (hold-fates.ts): paid holds become sold, released ones go
 * to the waitlist first (each served buyer a new hold, with a fresh order id) or back to available.
 * settle-holds.lua removes each hold from the sorted set once, so a repeat ends nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { SALE_LIMITS } from '../../domain/sales/sale.js';
import type { SaleStore, SettleResult } from '../../lua/sale-store.js';
import type { HoldFates } from './hold-fates.js';

/**
 * At most this many fresh ids per call (the script's arguments): more releases wait for the next call
 * (`more`). Never below the largest hold, or a hold of that size could never be released while serving.
 */
const MAX_FRESH_IDS = Math.max(1_000, SALE_LIMITS.maxPerUserLimit);

export function settleInRedis(store: SaleStore, saleId: string, fates: HoldFates): Promise<SettleResult> {
  // One new hold per buyer served, and a unit serves at most one buyer: the released units bound the ids.
  const fresh = Array.from({ length: Math.min(fates.releasedUnits, MAX_FRESH_IDS) }, () => randomUUID());
  return store.settleHolds(saleId, fates.paid, fates.released, fresh);
}
