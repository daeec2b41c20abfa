/**
 * The auction categories: a small fixed list, not free-form slugs (docs/decisions.md, "Discovery"). A
 * fixed list gives buyers a menu that matches exactly what sellers chose (no "antique" beside
 * "antiques"), and clients read it from the OpenAPI document. Adding one is a one-line change here
 * plus the migration drizzle-kit generates for the enum.
 */
export const AUCTION_CATEGORIES = [
  'antiques',
  'art',
  'books',
  'collectibles',
  'electronics',
  'fashion',
  'home',
  'jewellery',
  'music',
  'sports',
  'toys',
  'vehicles',
  'other',
] as const;
export type AuctionCategory = (typeof AUCTION_CATEGORIES)[number];
