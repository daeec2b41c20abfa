/**
 * Request shapes of the watchlist, "my bids" and notification-settings routes (zod). The OpenAPI
 * document (api/openapi/notification-paths.ts) is generated from these same schemas.
 */
import { z } from 'zod';
import { ENDING_SOON_MINUTES } from '../../domain/notifications/ending-soon.js';
import { NOTIFICATION_TYPES } from '../../domain/notifications/types.js';
import { pageQuery } from '../auctions/schemas.js';

/** GET /v1/users/me/bids. Strict: a misspelt filter is a 400, not a filter silently ignored. */
export const myBidsQuery = pageQuery
  .extend({
    status: z
      .enum(['active', 'ended'])
      .optional()
      .meta({ description: 'active: scheduled or open; ended: closed or cancelled. Both when absent.' }),
  })
  .strict();
export type MyBidsQuery = z.infer<typeof myBidsQuery>;

const notificationType = z.enum(NOTIFICATION_TYPES);

/** A set of types: each at most once (the document says so with uniqueItems). */
const typeSet = (description: string, extra: Record<string, unknown> = {}) =>
  z
    .array(notificationType)
    .refine((types) => new Set(types).size === types.length, 'must list each type at most once')
    .meta({ description, uniqueItems: true, ...extra });

export const notificationSettingsBody = z
  .object({
    channels: z
      .object({
        inbox: typeSet(
          'The inbox carries every type, always: if present, it must list them all (else 400 INBOX_ALWAYS_ON).',
          {
            minItems: NOTIFICATION_TYPES.length,
          },
        ).optional(),
        live: typeSet('The types the live stream carries.').optional(),
        email: typeSet('The types emailed to you.').optional(),
        webhook: typeSet(
          'The types your webhooks may receive (each webhook also filters by its own types).',
        ).optional(),
      })
      .strict()
      .optional()
      .meta({ description: 'Only the channels given change; each list replaces what that channel carried.' }),
    endingSoonMinutes: z
      .literal(ENDING_SOON_MINUTES)
      .optional()
      .meta({ description: 'How long before an auction ends you are told it is ending soon.' }),
  })
  .strict()
  .meta({ id: 'NotificationSettingsRequest', description: 'What to change; what is absent stays as it was.' });
export type NotificationSettingsBody = z.infer<typeof notificationSettingsBody>;
