/** An auction row and the bidding rules it carries, in the domain's terms. */
import type { AuctionRules } from '../../domain/bidding.js';
import type { auctions } from '../../db/schema.js';

export type AuctionRow = typeof auctions.$inferSelect;

export const rulesOf = (row: AuctionRow): AuctionRules => ({
  sellerId: row.sellerId,
  startingPrice: row.startingPrice,
  reservePrice: row.reservePrice,
  buyNowPrice: row.buyNowPrice,
  softCloseWindowMs: row.softCloseWindowSeconds * 1000,
  softCloseExtendMs: row.softCloseExtendSeconds * 1000,
});
