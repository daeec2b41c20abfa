/**
 * How a bidder is shown to everyone else: by their number on the auction ("Bidder 7"), never by their
 * account id (eBay has masked bidders since 2018, against shill bidding and contact off the platform).
 * The number comes from the bidder book (domain/bidder-book.ts): 1, 2, 3… in the order of first bids.
 */
export const aliasName = (alias: number | null): string | null => (alias === null ? null : `Bidder ${alias}`);
