/** The image routes (api/images/routes.ts) in the document. */
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { auctionIdParam } from '../auctions/ids.js';
import { auctionImage } from '../images/responses.js';
import { FILE_FIELD } from '../images/receive.js';
import { IMAGE_CONTENT_TYPES } from '../images/types.js';
import { bearer, errorResponse, json, notFound, rateLimited, unauthenticated } from './parts.js';

const tags = ['Auctions'];

const imageIdParam = auctionIdParam.meta({ description: 'The image id (a UUID).' });

const upload = z.object({
  [FILE_FIELD]: z.string().meta({
    format: 'binary',
    description: 'The image: JPEG, PNG or WebP, told by its bytes (its name and Content-Type are not asked).',
  }),
});

const notSeller = errorResponse("You are not the auction's seller.", ['NOT_SELLER']);

/** S3 joins the services a 503 may come from. */
const unavailable = errorResponse(
  'A service this request needs (Postgres, Redis or the image store) is down: retry after `Retry-After` seconds.',
  ['UNAVAILABLE'],
  {},
  z.object({ 'Retry-After': z.string().meta({ description: 'Seconds to wait before trying again.', example: '1' }) }),
);

export const imagePaths: ZodOpenApiPathsObject = {
  '/v1/auctions/{id}/images': {
    post: {
      operationId: 'uploadAuctionImage',
      summary: 'Add an image to an auction (its seller only)',
      description:
        'Streamed through the API: the type is sniffed from the first bytes and the size counted as it arrives, ' +
        'so a refusal comes as soon as it is certain. Each upload attempt counts toward a per-seller limit ' +
        '(`IMAGE_UPLOADS_PER_USER`, 2 an hour by default). Refusals close the connection.',
      tags,
      security: bearer,
      requestParams: { path: z.object({ id: auctionIdParam }) },
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: upload,
            encoding: { [FILE_FIELD]: { contentType: IMAGE_CONTENT_TYPES.join(', ') } },
          },
        },
      },
      responses: {
        201: json('Stored: the image, with the URL it is served from.', auctionImage),
        400: errorResponse('The body is not a readable multipart/form-data upload, or has no `file` part.', [
          'MALFORMED_MULTIPART',
        ]),
        401: unauthenticated,
        403: notSeller,
        404: notFound('auction'),
        409: errorResponse(
          'The auction has as many images as it may have (`maxImages`), or is over.',
          ['TOO_MANY_IMAGES', 'AUCTION_CLOSED'],
          { maxImages: z.int().min(1).optional() },
        ),
        413: errorResponse('The image is larger than `maxBytes`: nothing was stored.', ['IMAGE_TOO_LARGE'], {
          maxBytes: z.int().min(1),
        }),
        415: errorResponse(
          'The body is not multipart/form-data (`UNSUPPORTED_MEDIA_TYPE`), or the file is not a JPEG, PNG or WebP ' +
            'image (`UNSUPPORTED_IMAGE_TYPE`), whatever its name or Content-Type say.',
          ['UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_IMAGE_TYPE'],
          { allowed: z.array(z.enum(IMAGE_CONTENT_TYPES)).optional() },
        ),
        429: rateLimited,
        503: unavailable,
      },
    },
  },
  '/v1/auctions/{id}/images/{imageId}': {
    delete: {
      operationId: 'deleteAuctionImage',
      summary: 'Remove an image (its seller only, at any time): its URL stops serving it',
      tags,
      security: bearer,
      requestParams: { path: z.object({ id: auctionIdParam, imageId: imageIdParam }) },
      responses: {
        204: { description: 'Removed.' },
        401: unauthenticated,
        403: notSeller,
        404: notFound('auction or image'),
        503: unavailable,
      },
    },
  },
};
