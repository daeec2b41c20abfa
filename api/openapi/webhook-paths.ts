/** The webhook routes (api/notifications/webhooks-routes.ts) in the document. */
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { auctionIdParam } from '../auctions/ids.js';
import { bodyErrorCodes } from '../error-handler.js';
import { createdWebhook, webhookDeliveryPage, webhookList } from '../notifications/webhooks-responses.js';
import { createWebhookBody, deliveriesQuery } from '../notifications/webhooks-schemas.js';
import {
  bearer,
  bodyRefusals,
  errorResponse,
  json,
  jsonBody,
  notFound,
  parameterRefusal,
  unauthenticated,
} from './parts.js';

const tags = ['Webhooks'];

const webhookIdParam = auctionIdParam.meta({ description: 'The webhook id (a UUID).' });

const DELIVERY = `Each notification of a type the webhook was registered for (and that your notification settings
carry on the webhook channel) is POSTed to its URL as JSON, \`{"type", "timestamp", "data"}\`, \`data\` being the
notification as the inbox shows it, signed as [Standard Webhooks](https://www.standardwebhooks.com/) sign:
headers \`webhook-id\` (the delivery's id, the same on every retry: dedupe on it), \`webhook-timestamp\` (Unix
seconds of the attempt) and \`webhook-signature\` (\`v1,\` and base64 of HMAC-SHA256 of
\`{webhook-id}.{webhook-timestamp}.{body}\`, keyed by the secret's base64-decoded part after \`whsec_\`). A 2xx
answer within 10 seconds delivers it; anything else (redirects included) is retried after 5 s, 5 min, 30 min,
2 h, 5 h, 10 h, …, for 24 hours. Only public addresses are ever connected to.`;

export const webhookPaths: ZodOpenApiPathsObject = {
  '/v1/users/me/webhooks': {
    post: {
      operationId: 'createWebhook',
      summary: 'Register a webhook',
      description: `${DELIVERY}\n\nThe answer holds the signing secret: it is never shown again.`,
      tags,
      security: bearer,
      requestBody: jsonBody(createWebhookBody(false)),
      responses: {
        201: {
          ...json('Registered: the webhook and its signing secret (shown only now).', createdWebhook),
          headers: z.object({ 'Cache-Control': z.literal('no-store') }),
        },
        ...bodyRefusals,
        400: errorResponse(
          'The body is not valid (`VALIDATION`, each issue in `error.issues`: a URL that is not https, carries ' +
            'credentials, names a private address, or is too long; no types, or an unknown one), or its host ' +
            'resolves to an address webhooks may not reach, or not at all (`WEBHOOK_URL_NOT_ALLOWED`).',
          ['VALIDATION', 'WEBHOOK_URL_NOT_ALLOWED', ...bodyErrorCodes(400)],
          {
            issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
            reason: z.enum(['address_not_allowed', 'unresolvable']).optional(),
          },
        ),
        401: unauthenticated,
        409: errorResponse(
          'You have as many webhooks as you may (`maxWebhooks`): delete one first.',
          ['TOO_MANY_WEBHOOKS'],
          {
            maxWebhooks: z.int().min(1),
          },
        ),
      },
    },
    get: {
      operationId: 'listWebhooks',
      summary: 'Your webhooks, oldest first (never their secrets)',
      tags,
      security: bearer,
      responses: {
        200: json('Your webhooks.', webhookList),
        401: unauthenticated,
      },
    },
  },
  '/v1/users/me/webhooks/{id}': {
    delete: {
      operationId: 'deleteWebhook',
      summary: 'Delete a webhook: it receives nothing more, and its pending deliveries are dropped',
      tags,
      security: bearer,
      requestParams: { path: z.object({ id: webhookIdParam }) },
      responses: {
        204: { description: 'Deleted.' },
        401: unauthenticated,
        404: notFound('webhook of yours'),
      },
    },
  },
  '/v1/users/me/webhooks/{id}/deliveries': {
    get: {
      operationId: 'listWebhookDeliveries',
      summary: "A webhook's deliveries, newest first, each with its attempts and what the receiver answered",
      tags,
      security: bearer,
      requestParams: { path: z.object({ id: webhookIdParam }), query: deliveriesQuery },
      responses: {
        200: json('One page.', webhookDeliveryPage),
        400: parameterRefusal('INVALID_CURSOR'),
        401: unauthenticated,
        404: notFound('webhook of yours'),
      },
    },
  },
};
