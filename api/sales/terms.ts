/**
 * A sale's terms: everything about it but its phase and counts, which never change after it is created.
 * Claims read them on every request (price, currency, requireChallenge), so each process keeps them in
 * memory once loaded from Postgres: the hot path makes no database read. Only found sales are kept
 * (random ids cost a query each, never memory), and at most MAX_CACHED of them, oldest out first.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { sales } from '../../db/sales-schema.js';
import { isAuctionId as isUuid } from '../auctions/ids.js';

export const saleTermColumns = {
  id: sales.id,
  sellerId: sales.sellerId,
  title: sales.title,
  description: sales.description,
  category: sales.category,
  currency: sales.currency,
  price: sales.price,
  stock: sales.stock,
  perUserLimit: sales.perUserLimit,
  holdSeconds: sales.holdSeconds,
  requireChallenge: sales.requireChallenge,
  startsAt: sales.startsAt,
  endsAt: sales.endsAt,
};

export type SaleTerms = {
  [K in keyof typeof saleTermColumns]: (typeof sales.$inferSelect)[K];
};

/** A flash sale's hot minute concerns a few sales; a description is at most 5,000 characters. */
const MAX_CACHED = 1_000;

export const isSaleId = isUuid;

export class SaleTermsCache {
  private readonly terms = new Map<string, Promise<SaleTerms | null>>();

  constructor(private readonly db: Database) {}

  /** The sale's terms, or null for an unknown (or malformed) id. */
  get(id: string): Promise<SaleTerms | null> {
    if (!isSaleId(id)) return Promise.resolve(null);
    const key = id.toLowerCase();
    const cached = this.terms.get(key);
    if (cached) return cached;
    // Concurrent first claims share one query.
    const loading = this.load(key).then(
      (found) => {
        if (found === null) this.terms.delete(key);
        return found;
      },
      (error: unknown) => {
        this.terms.delete(key); // a failed read is not remembered: the next request tries again
        throw error;
      },
    );
    this.terms.set(key, loading);
    if (this.terms.size > MAX_CACHED) this.terms.delete(this.terms.keys().next().value!);
    return loading;
  }

  /** Remembers a sale this process just created: its first claims need no query. */
  remember(terms: SaleTerms): void {
    this.terms.set(terms.id.toLowerCase(), Promise.resolve(terms));
    if (this.terms.size > MAX_CACHED) this.terms.delete(this.terms.keys().next().value!);
  }

  /** Forgets a sale whose creation was undone. */
  forget(id: string): void {
    this.terms.delete(id.toLowerCase());
  }

  private async load(id: string): Promise<SaleTerms | null> {
    const [row] = await this.db.select(saleTermColumns).from(sales).where(eq(sales.id, id));
    return row ?? null;
  }
}
