/** The notification pipeline's activities: the audience fan-out and the email outbox (outbids come from the persist cycle). */
import type { Transporter } from 'nodemailer';
import type { Database } from '../../db/pool.js';
import { createAudienceActivities } from './audience.js';
import { createEmailActivities, type EmailOptions } from './email-sender.js';
import type { NotificationPipeline } from './pipeline.js';

export interface NotificationActivityDeps {
  db: Database;
  pipeline: NotificationPipeline;
  mail: { transport: Transporter; options: EmailOptions };
}

export function createNotificationActivities({ db, pipeline, mail }: NotificationActivityDeps) {
  return {
    ...createAudienceActivities(db, pipeline),
    ...createEmailActivities(db, mail.transport, mail.options),
  };
}
