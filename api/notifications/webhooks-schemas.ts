/**
 * Request shapes of the webhook routes (zod), strict like the others: an unknown field is a 400 that
 * names it. The URL's own rules (domain/notifications/network-policy.ts) depend on
 * WEBHOOK_ALLOW_PRIVATE_NETWORKS, so the body schema is made per configuration.
 */
import { z } from 'zod';
import { pageQuery } from '../auctions/schemas.js';
import { WEBHOOK_URL_MAX_LENGTH, webhookUrlProblem } from '../../domain/notifications/network-policy.js';
import { NOTIFICATION_TYPES } from '../../domain/notifications/types.js';

export const webhookTypes = z
  .array(z.enum(NOTIFICATION_TYPES))
  .min(1)
  .max(NOTIFICATION_TYPES.length)
  .refine((types) => new Set(types).size === types.length, 'must not repeat a type')
  .meta({ description: 'The notification types this webhook receives: at least one, each once.' });

export function createWebhookBody(allowPrivateNetworks: boolean) {
  return z
    .object({
      url: z
        .string()
        .max(WEBHOOK_URL_MAX_LENGTH)
        .superRefine((value, ctx) => {
          const problem = webhookUrlProblem(value, allowPrivateNetworks);
          if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
        })
        .meta({
          format: 'uri',
          description:
            'Where deliveries are POSTed: https, without credentials or fragment, to a host that resolves to ' +
            'public addresses only.',
          example: 'https://hooks.example.com/gavel',
        }),
      types: webhookTypes,
    })
    .strict()
    .meta({ id: 'CreateWebhookRequest' });
}

export type CreateWebhookBody = z.infer<ReturnType<typeof createWebhookBody>>;

export const deliveriesQuery = pageQuery;
