/** The category enum, shared by auctions and flash sales: its own module, as both tables' modules import it. */
import { pgEnum } from 'drizzle-orm/pg-core';
import { AUCTION_CATEGORIES } from '../domain/categories.js';

export const auctionCategory = pgEnum('auction_category', AUCTION_CATEGORIES);
