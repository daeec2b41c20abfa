/** What the webhook routes answer, as zod schemas: the service is typed by them, the OpenAPI document generated from them. */
import { z } from 'zod';
import { NOTIFICATION_TYPES } from '../../domain/notifications/types.js';
import { count, instant, uuid } from '../wire-types.js';

export const webhook = z
  .object({
    id: uuid,
    url: z.string(),
    types: z.array(z.enum(NOTIFICATION_TYPES)),
    createdAt: instant,
  })
  .meta({ id: 'Webhook', description: 'A webhook endpoint; its signing secret is shown only once, at creation.' });
export type WebhookJson = z.infer<typeof webhook>;

export const createdWebhook = webhook
  .extend({
    secret: z.string().meta({
      description:
        'The signing secret (Standard Webhooks: `whsec_` and base64 of the key). Shown only in this answer: keep it.',
      example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    }),
  })
  .meta({ id: 'CreatedWebhook' });
export type CreatedWebhookJson = z.infer<typeof createdWebhook>;

export const webhookList = z.object({ items: z.array(webhook) }).meta({ id: 'WebhookList' });

export const webhookAttempt = z
  .object({
    attempt: z.int().min(1),
    attemptedAt: instant,
    status: z
      .int()
      .nullable()
      .meta({ description: "The receiver's HTTP status; null when no answer came (see `response`)." }),
    response: z.string().meta({ description: 'The first bytes of the answer (about 1 KB), or why there was none.' }),
    durationMs: count,
  })
  .meta({ id: 'WebhookAttempt' });

export const webhookDelivery = z
  .object({
    id: uuid.meta({ description: 'The `webhook-id` header of every attempt of this delivery.' }),
    notificationId: z.int().min(1),
    type: z.enum(NOTIFICATION_TYPES),
    status: z.enum(['pending', 'delivered', 'failed']),
    createdAt: instant,
    deliveredAt: instant.nullable(),
    failedAt: instant.nullable(),
    nextAttemptAt: instant.nullable().meta({ description: 'When a pending delivery is tried next.' }),
    attempts: z.array(webhookAttempt),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDeliveryJson = z.infer<typeof webhookDelivery>;

export const webhookDeliveryPage = z
  .object({
    items: z.array(webhookDelivery),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next (older) page; null at the end.' }),
  })
  .meta({ id: 'WebhookDeliveryPage' });
export type WebhookDeliveryPageJson = z.infer<typeof webhookDeliveryPage>;
