/** What the sale's Postgres row says that its orders and notices need: who sells, at what price, under what title. */
import { ApplicationFailure } from '@temporalio/activity';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { sales } from '../../db/sales-schema.js';

export interface SaleTerms {
  sellerId: string;
  title: string;
  price: number;
  currency: string;
}

export async function readSaleTerms(db: Database, saleId: string): Promise<SaleTerms> {
  const [row] = await db
    .select({ sellerId: sales.sellerId, title: sales.title, price: sales.price, currency: sales.currency })
    .from(sales)
    .where(eq(sales.id, saleId));
  // The API writes the row before it starts the workflow: retrying cannot make one appear.
  if (!row) throw ApplicationFailure.nonRetryable(`no sale ${saleId} in Postgres`, 'SaleMissing');
  return row;
}
