/**
 * An admin cancels any auction (bids or not) or flash sale, through the same use cases a seller's cancel
 * goes through (api/auctions/service.ts, api/sales/service.ts), with the audit entry written around it
 * (db/audit-log.ts, withAuditEntry): an entry exactly when this call cancelled.
 */
import { withAuditEntry } from '../../db/audit-log.js';
import type { Database } from '../../db/pool.js';
import { findAuctionRow, withdrawAuction, type AuctionDeps } from '../auctions/service.js';
import type { PublicAuction } from '../auctions/presenter.js';
import type { PublicSale } from '../sales/responses.js';
import { findSaleTerms, withdrawSale, type SaleDeps } from '../sales/service.js';
import type { Actor } from './require-admin.js';

export interface AdminCancelDeps {
  db: Database;
  auctions: AuctionDeps;
  sales: SaleDeps;
}

export async function cancelAuctionAsAdmin(
  deps: AdminCancelDeps,
  actor: Actor,
  id: string,
  reason: string,
): Promise<PublicAuction> {
  const row = await findAuctionRow(deps.db, id); // 404 before anything is written
  const entry = { ...actor, action: 'auction_cancelled', targetType: 'auction', targetId: row.id, reason } as const;
  return withAuditEntry(deps.db, { ...entry, details: { sellerId: row.sellerId, title: row.title } }, async () => {
    const { auction, cancelled } = await withdrawAuction(deps.auctions, row.id, reason);
    return { changed: cancelled, result: auction };
  });
}

export async function cancelSaleAsAdmin(
  deps: AdminCancelDeps,
  actor: Actor,
  id: string,
  reason: string,
): Promise<PublicSale> {
  const terms = await findSaleTerms(deps.sales, id); // 404 before anything is written
  const entry = { ...actor, action: 'sale_cancelled', targetType: 'sale', targetId: terms.id, reason } as const;
  return withAuditEntry(deps.db, { ...entry, details: { sellerId: terms.sellerId, title: terms.title } }, async () => ({
    // A sale that cannot be cancelled (over, or sold) is a 409, which rolls the entry back with it.
    changed: true,
    result: await withdrawSale(deps.sales, terms, reason),
  }));
}
