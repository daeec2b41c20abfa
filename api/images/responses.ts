/** The image routes' answers, as zod schemas (the OpenAPI document is generated from them). */
import { z } from 'zod';
import { auction, bidderAlias } from '../auctions/responses.js';
import { count, uuid } from '../wire-types.js';
import { IMAGE_CONTENT_TYPES } from './types.js';

const pixels = z.number().int().positive().meta({ example: 1200 });

export const auctionImage = z
  .object({
    id: uuid,
    url: z.url().meta({
      description: 'Where to fetch it: public, cacheable for good (its content never changes).',
      example: 'https://images.example.com/images/3q2-7wEjIW1xZs5Yf0cXnA.jpg',
    }),
    contentType: z
      .enum(IMAGE_CONTENT_TYPES)
      .meta({ description: 'Sniffed from the bytes, not taken from the upload.' }),
    bytes: z.number().int().positive().meta({ example: 482133 }),
    width: pixels,
    height: pixels,
  })
  .meta({ id: 'AuctionImage' });

/**
 * GET /v1/auctions/{id}: the auction, its images (oldest first), how many users watch it, its relists, and
 * the viewer's own alias.
 */
export const auctionDetail = auction
  .extend({
    images: z.array(auctionImage),
    watchers: count.meta({ description: 'How many users have it on their watchlist.' }),
    relistedAs: uuid.nullable().meta({ description: 'The auction its seller relisted it as (POST …/relist).' }),
    relistedFrom: uuid.nullable().meta({ description: 'The auction this one is a relist of.' }),
    viewerAlias: bidderAlias.nullable().meta({
      description:
        'Your own alias on this auction when you send a token and have bid on it; null otherwise. Events name ' +
        'the leader by alias: `leaderAlias === viewerAlias` means you lead.',
    }),
  })
  .meta({ id: 'AuctionDetail' });

export type PublicImage = z.infer<typeof auctionImage>;

/** The images of an auction, as the auction detail shows them. */
export type ImagesOf = (auctionId: string) => Promise<PublicImage[]>;
