/** The auction routes (api/auctions/routes.ts) in the document: requests from the schemas the routes parse with. */
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { parseConfig } from '../../config/env.js';
import { auctionIdParam } from '../auctions/ids.js';
import { termsPolicyOf } from '../auctions/terms.js';
import { instant, uuid } from '../wire-types.js';
import { auctionDetail } from '../images/responses.js';
import {
  auction,
  auctionBidderList,
  auctionEvent,
  auctionPage,
  listingPage,
  bidPage,
  bidRefusalDetails,
  ownBidPage,
  placedBid,
  retraction,
} from '../auctions/responses.js';
import {
  bidBody,
  bidsQuery,
  cancelBody,
  createAuctionBody,
  idempotencyKey,
  lastEventId,
  listAuctionsQuery,
  pageQuery,
  relistBody,
  retractionBody,
} from '../auctions/schemas.js';
import { RELIST_REFUSALS } from '../../domain/relist.js';
import { RETRACTION_REFUSALS } from '../../domain/retraction.js';
import {
  accountBlocked,
  accountBlockedText,
  bearer,
  bodyRefusals,
  errorBodyOf,
  errorResponse,
  json,
  jsonBody,
  notFound,
  parameterRefusal,
  rateLimited,
  tooManyStreams,
  unauthenticated,
} from './parts.js';

const tags = ['Auctions'];
/** The bounds and defaults of the default configuration: a deployment may set others (config/env.ts). */
const DEFAULT_TERMS = termsPolicyOf(parseConfig({}));
const path = z.object({ id: auctionIdParam });

export const auctionPaths: ZodOpenApiPathsObject = {
  '/v1/auctions': {
    post: {
      operationId: 'createAuction',
      summary: 'Create an auction (you are its seller)',
      tags,
      security: bearer,
      requestBody: jsonBody(createAuctionBody(DEFAULT_TERMS)),
      responses: {
        201: json('The auction: scheduled, or open when startsAt has passed.', auction),
        ...bodyRefusals,
        401: unauthenticated,
        403: accountBlocked,
        503: errorResponse('The auction could not be scheduled; nothing was created: retry.', ['UNAVAILABLE']),
      },
    },
    get: {
      operationId: 'listAuctions',
      summary: 'List, filter, sort and search auctions and flash sales (newest first by default)',
      description:
        'Pages of a traversal neither repeat nor skip auctions: their order and membership are those of the ' +
        'first page, whatever bids and new auctions came since; each item shows its live state. Closed and ' +
        'cancelled auctions are listed for DISCOVERY_ENDED_LISTED_DAYS (30) days after their end (a ' +
        'cancelled one: its planned end).',
      tags,
      requestParams: { query: listAuctionsQuery },
      responses: {
        200: json('One page: auctions and flash sales, each with its kind.', listingPage),
        400: parameterRefusal('INVALID_CURSOR', 'CURSOR_EXPIRED', 'SEARCH_TOO_BROAD'),
        429: rateLimited,
      },
    },
  },
  '/v1/users/me/auctions': {
    get: {
      operationId: 'listMyAuctions',
      summary: 'Your auctions as a seller, all of them, newest first',
      description:
        'Every auction you created, whatever its status and however long ago it ended (the listing shows ' +
        'ended auctions for DISCOVERY_ENDED_LISTED_DAYS only). Live ones show their live state.',
      tags,
      security: bearer,
      requestParams: { query: pageQuery },
      responses: {
        200: json('One page.', auctionPage),
        400: parameterRefusal('INVALID_CURSOR'),
        401: unauthenticated,
      },
    },
  },
  '/v1/auctions/{id}': {
    get: {
      operationId: 'getAuction',
      summary: 'Read an auction, live price included',
      description:
        'Public: bidders show by alias (`leaderAlias`, `result.winnerAlias`). A bearer token is optional; when ' +
        'given it must be valid, and it shows the account ids its user may see (`leaderId`, `result.winnerId`: ' +
        'the seller and admins see them, a bidder their own; null for anyone else) and `viewerAlias`, your own ' +
        'alias on the auction.',
      tags,
      security: [{}, { bearerAuth: [] }],
      requestParams: { path },
      responses: {
        200: json('The auction, with its images.', auctionDetail),
        401: unauthenticated,
        404: notFound('auction'),
      },
    },
  },
  '/v1/auctions/{id}/bidders': {
    get: {
      operationId: 'listAuctionBidders',
      summary: "Your auction's bidders, by account (its seller, or an admin)",
      description:
        'Each bidder with their alias (what everyone else sees), account id, display name, their bids that still ' +
        'count, whether they retracted here, and their own retractions in the last 6 months on any auction ' +
        '(admins’ voids not counted).',
      tags,
      security: bearer,
      requestParams: { path },
      responses: {
        200: json('Every bidder, in the order of their first bids.', auctionBidderList),
        401: unauthenticated,
        403: errorResponse('You are neither its seller nor an admin.', ['NOT_SELLER']),
        404: notFound('auction'),
      },
    },
  },
  '/v1/auctions/{id}/cancel': {
    post: {
      operationId: 'cancelAuction',
      summary: 'Cancel an auction (its seller only); repeating it answers the same',
      tags,
      security: bearer,
      requestParams: { path },
      requestBody: jsonBody(cancelBody),
      responses: {
        200: json('The cancelled auction.', auction),
        ...bodyRefusals,
        401: unauthenticated,
        403: errorResponse('You are not its seller.', ['NOT_SELLER']),
        404: notFound('auction'),
        409: errorResponse('The auction has already closed.', ['AUCTION_CLOSED']),
      },
    },
  },
  '/v1/auctions/{id}/relist': {
    post: {
      operationId: 'relistAuction',
      summary: 'Relist your lot that did not sell, or whose sale came to nothing, as a new auction',
      description:
        'A new auction with the same title, description, category, currency, prices (starting, reserve, ' +
        'buy-now), soft close and settlement terms, copies of the images in their order, and the dates given ' +
        '(checked as for a new auction). Allowed once the auction is closed unsold or with its reserve not ' +
        'met, or sold with nothing paid and no order or offer live: a settlement waiting for your ' +
        'second-chance decision ends, and no offer follows. Once only: the original then shows `relistedAs` ' +
        'and the new one `relistedFrom`.',
      tags,
      security: bearer,
      requestParams: { path },
      requestBody: jsonBody(relistBody),
      responses: {
        201: json('The new auction: scheduled, or open when startsAt has passed.', auction),
        ...bodyRefusals,
        401: unauthenticated,
        403: errorResponse(`You are not its seller (\`NOT_SELLER\`), or ${accountBlockedText}.`, [
          'NOT_SELLER',
          'ACCOUNT_BLOCKED',
        ]),
        404: notFound('auction'),
        409: json(
          'Not relistable now (`NOT_RELISTABLE`, `reason` says why: not ended, cancelled, paid, an order or ' +
            'offer live, ...), or relisted already (`ALREADY_RELISTED`, with the new auction’s id).',
          z.union([
            errorBodyOf(['NOT_RELISTABLE'], { reason: z.enum(RELIST_REFUSALS) }),
            errorBodyOf(['ALREADY_RELISTED'], { relistedAs: uuid }),
          ]),
        ),
        503: errorResponse('The new auction could not be scheduled; nothing was created: retry.', ['UNAVAILABLE']),
      },
    },
  },
  '/v1/auctions/{id}/bids': {
    post: {
      operationId: 'placeBid',
      summary: 'Bid (proxy bidding: amount is your maximum)',
      tags,
      security: bearer,
      requestParams: { path, header: z.object({ 'Idempotency-Key': idempotencyKey.optional() }) },
      requestBody: jsonBody(bidBody),
      responses: {
        201: json(
          "Accepted: the bid and the price after it, with the auction's buyer's premium (a win costs the hammer " +
            'price plus buyersPremiumBps of it).',
          placedBid,
        ),
        ...bodyRefusals,
        401: unauthenticated,
        403: json(
          'Sellers cannot bid on their own auctions (`SELLER_CANNOT_BID`). A bidder who let UNPAID_STRIKES_TO_BLOCK ' +
            '(2) orders expire unpaid within UNPAID_STRIKE_WINDOW_DAYS (90) may not bid until `blockedUntil`, when ' +
            `enough of those have aged out (\`BIDDING_BLOCKED\`). Or ${accountBlockedText}.`,
          z.union([
            errorBodyOf(['SELLER_CANNOT_BID'], bidRefusalDetails),
            errorBodyOf(['BIDDING_BLOCKED'], { blockedUntil: instant }),
            errorBodyOf(['ACCOUNT_BLOCKED']),
          ]),
        ),
        404: notFound('auction'),
        409: errorResponse(
          'Refused: below minimumNextBid, the auction is not open, or buy-now is not available at that amount.',
          ['BID_TOO_LOW', 'AUCTION_NOT_OPEN', 'BUY_NOW_UNAVAILABLE'],
          bidRefusalDetails,
        ),
        429: rateLimited,
      },
    },
    get: {
      operationId: 'listBids',
      summary: 'The persisted bid history, oldest first (or, with bidder=me, your own bids)',
      description:
        'Public, without maxima; retracted bids stay, marked `retracted`. Bidders show by alias; `bidderId` is ' +
        'null unless the token sent is the seller’s, an admin’s, or (for their own bids) the bidder’s. With ' +
        '`bidder=me` it needs a bearer token and lists only your bids, each with the maximum you bid ' +
        '(OwnBidPage), which nobody else ever sees.',
      tags,
      security: [{}, { bearerAuth: [] }],
      requestParams: { path, query: bidsQuery },
      responses: {
        200: json('One page: a BidPage, or with bidder=me an OwnBidPage.', z.union([bidPage, ownBidPage])),
        400: parameterRefusal('INVALID_CURSOR'),
        401: unauthenticated,
        404: notFound('auction'),
      },
    },
  },
  '/v1/auctions/{id}/retractions': {
    post: {
      operationId: 'retractBids',
      summary: 'Retract your bids (eBay’s rules)',
      description:
        'With 12 hours or more left, all of your bids on the auction are taken back; with less, only your last ' +
        'bid, and only within an hour of placing it; once per auction; never after the close. The leader and ' +
        'price are then found again from the maxima that remain. Retracted bids stay in the history, marked. A ' +
        'user who retracted more than RETRACTIONS_TO_BLOCK (3) times in 6 months may not retract again; sellers ' +
        'see each bidder’s count.',
      tags,
      security: bearer,
      requestParams: { path },
      requestBody: jsonBody(retractionBody),
      responses: {
        201: json('Taken back: where the auction stands now (watchers get a `retracted` event).', retraction),
        ...bodyRefusals,
        401: unauthenticated,
        404: notFound('auction'),
        409: json(
          'Not allowed (`RETRACTION_NOT_ALLOWED`); `reason` says why.',
          errorBodyOf(['RETRACTION_NOT_ALLOWED'], { reason: z.enum(RETRACTION_REFUSALS) }),
        ),
      },
    },
  },
  '/v1/auctions/{id}/events': {
    get: {
      operationId: 'watchAuction',
      summary: 'Watch an auction live (Server-Sent Events)',
      tags,
      description:
        'Public. A bearer token is optional; when given it must be valid, and it counts toward the per-user stream cap.',
      security: [{}, { bearerAuth: [] }],
      requestParams: { path, header: z.object({ 'Last-Event-ID': lastEventId.optional() }) },
      responses: {
        200: {
          description: 'An endless event stream; each event as described (its `data` is JSON).',
          content: { 'text/event-stream': { schema: auctionEvent } },
        },
        401: unauthenticated,
        404: notFound('auction'),
        429: tooManyStreams,
      },
    },
  },
};
