/** An auction row and the bidding rules it carries, in the domain's terms. */
import { getTableColumns } from 'drizzle-orm';
import type { AuctionRules } from '../../domain/bidding.js';
import { auctions } from '../../db/schema.js';

/** Every column but the search vector, which is as long as the text it indexes and only Postgres reads. */
export const auctionRowColumns = Object.fromEntries(
  Object.entries(getTableColumns(auctions)).filter(([name]) => name !== 'search'),
) as Omit<ReturnType<typeof getTableColumns<typeof auctions>>, 'search'>;

export type AuctionRow = Omit<typeof auctions.$inferSelect, 'search'>;

export const rulesOf = (row: AuctionRow): AuctionRules => ({
  sellerId: row.sellerId,
  startingPrice: row.startingPrice,
  reservePrice: row.reservePrice,
  buyNowPrice: row.buyNowPrice,
  softCloseWindowMs: row.softCloseWindowSeconds * 1000,
  softCloseExtendMs: row.softCloseExtendSeconds * 1000,
});
