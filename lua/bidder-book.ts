/**
 * Reads an auction's bidder book as Redis keeps it (lua/bidder-book.lua has the encoding) into the
 * domain's shape (domain/bidder-book.ts). A malformed entry is a bug in a script, so it throws.
 */
import type { BidderBook, BidderEntry, Maximum } from '../domain/bidder-book.js';

function integer(text: string, what: string): number {
  const n = Number(text);
  if (text === '' || !Number.isSafeInteger(n)) throw new Error(`bidder book: ${what} is not an integer`);
  return n;
}

function maximum(max: string, seq: string, placedAtMs: string, bidderId: string): Maximum | null {
  if (max === '') return null;
  return {
    max: integer(max, `${bidderId}'s maximum`),
    seq: integer(seq, `${bidderId}'s seq`),
    placedAtMs: integer(placedAtMs, `${bidderId}'s time`),
  };
}

export function parseBidderEntry(bidderId: string, text: string): BidderEntry {
  const parts = text.split(':');
  // Entries written before promotions have no tenth field.
  if (parts.length !== 9 && parts.length !== 10) {
    throw new Error(`bidder book: ${bidderId}'s entry has ${parts.length} fields, not 10`);
  }
  const [alias, bids, retracted, max, seq, placedAtMs, prevMax, prevSeq, prevPlacedAtMs, promotedFrom = ''] = parts as [
    string, string, string, string, string, string, string, string, string, string?,
  ]; // prettier-ignore
  return {
    alias: integer(alias, `${bidderId}'s alias`),
    bids: integer(bids, `${bidderId}'s bid count`),
    retracted: retracted === '1',
    live: maximum(max, seq, placedAtMs, bidderId),
    previous: maximum(prevMax, prevSeq, prevPlacedAtMs, bidderId),
    promotedFrom: promotedFrom === '' ? null : integer(promotedFrom, `${bidderId}'s own maximum`),
  };
}

export function parseBidderBook(aliasCount: number, entries: Record<string, string>): BidderBook {
  return {
    aliasCount,
    bidders: new Map(Object.entries(entries).map(([bidderId, text]) => [bidderId, parseBidderEntry(bidderId, text)])),
  };
}
