/**
 * The notification pipeline's activities: the audience fan-out, the email outbox and the webhook outbox
 * (outbids come from the persist cycle).
 */
import type { Transporter } from 'nodemailer';
import type { Database } from '../../db/pool.js';
import { createAudienceActivities } from './audience.js';
import { createEmailActivities, type EmailOptions } from './email-sender.js';
import type { NotificationPipeline } from './pipeline.js';
import { createWebhookDeliveryActivities, type WebhookDeliveryOptions } from './webhook-delivery.js';

export interface NotificationActivityDeps {
  db: Database;
  pipeline: NotificationPipeline;
  mail: { transport: Transporter; options: EmailOptions };
  webhooks: WebhookDeliveryOptions;
}

export function createNotificationActivities({ db, pipeline, mail, webhooks }: NotificationActivityDeps) {
  return {
    ...createAudienceActivities(db, pipeline),
    ...createEmailActivities(db, mail.transport, mail.options),
    ...createWebhookDeliveryActivities(db, webhooks),
  };
}
