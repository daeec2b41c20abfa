/**
 * Flash sales' table. Redis decides claims (lua/sale-store.ts) and keeps the live counts; this row is the
 * sale's durable record and the copy of its counts the sale workflow last saw. A claim's order is a row
 * of `orders` (kind 'sale', db/settlement-schema.ts), so a sale is paid through the same checkout and
 * webhook as an auction.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { SALE_PHASES, type SalePhase } from '../domain/sales/sale.js';
import { auctionCategory } from './category-enum.js';
import { users } from './schema.js';

const money = (name: string) => bigint(name, { mode: 'number' });
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const list = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const sales = pgTable(
  'sales',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    category: auctionCategory('category'),
    currency: text('currency').notNull().default('USD'),
    /** One unit's price, in minor units. */
    price: money('price').notNull(),
    stock: integer('stock').notNull(),
    perUserLimit: integer('per_user_limit').notNull(),
    holdSeconds: integer('hold_seconds').notNull(),
    requireChallenge: boolean('require_challenge').notNull().default(false),
    startsAt: instant('starts_at').notNull(),
    /** Null: open until sold out or cancelled. */
    endsAt: instant('ends_at'),
    phase: text('phase').$type<SalePhase>().notNull().default('scheduled'),
    /** The counts as the sale workflow last copied them from Redis (which has the live ones). */
    available: integer('available').notNull(),
    held: integer('held').notNull().default(0),
    sold: integer('sold').notNull().default(0),
    cancelReason: text('cancel_reason'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('sales_seller_idx').on(t.sellerId, t.createdAt, t.id),
    index('sales_starts_at_idx').on(t.startsAt),
    check('sales_phase', sql`${t.phase} IN (${list(SALE_PHASES)})`),
    check('sales_price_positive', sql`${t.price} > 0`),
    check('sales_stock', sql`${t.stock} BETWEEN 1 AND 1000000`),
    check('sales_per_user_limit', sql`${t.perUserLimit} >= 1`),
    check('sales_hold_seconds', sql`${t.holdSeconds} >= 1`),
    check(
      'sales_counts',
      sql`${t.available} + ${t.held} + ${t.sold} = ${t.stock} AND ${t.available} >= 0 AND ${t.held} >= 0 AND ${t.sold} >= 0`,
    ),
    check('sales_ends_after_start', sql`${t.endsAt} IS NULL OR ${t.endsAt} > ${t.startsAt}`),
  ],
);
