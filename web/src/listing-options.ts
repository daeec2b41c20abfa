/** The choices a seller picks from when listing something: categories (the API's enum) and currencies. */
import { AUCTION_CATEGORIES } from '../../domain/categories';
import type { Schemas } from './api/client';

export type Category = NonNullable<Schemas['CreateAuctionRequest']['category']>;

/** The API's own list (domain/categories.ts): the same module the server validates with. */
export const CATEGORIES: readonly Category[] = AUCTION_CATEGORIES;

export const categoryLabel = (category: Category): string => category[0]!.toUpperCase() + category.slice(1);

/** A few common ones; the API takes any ISO 4217 code and format.ts knows each one's minor digits (JPY has none). */
export const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY'] as const;

export function categoryOf(text: string): Category | undefined {
  return (CATEGORIES as readonly string[]).includes(text) ? (text as Category) : undefined;
}
