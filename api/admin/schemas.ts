/**
 * What the admin routes accept (zod; the OpenAPI document is generated from these). Strict, as
 * everywhere: a misspelt field is a 400 that names it. Every action carries a reason, for the audit log.
 */
import { z } from 'zod';
import { ROLES } from '../../domain/moderation/roles.js';
import { auctionIdParam } from '../auctions/ids.js';
import { pageQuery } from '../auctions/schemas.js';
import { storedText, trimmedText } from '../text.js';
import { uuid } from '../wire-types.js';

const reason = trimmedText(1, 500).meta({
  description:
    'Why: kept in the audit log (a cancel also tells it to those it concerns). Trimmed; 1 to 500 characters.',
});

export const roleBody = z
  .object({ role: z.enum(ROLES), reason: reason.optional() })
  .strict()
  .meta({ id: 'SetRoleRequest' });

export const blockBody = z.object({ reason }).strict().meta({ id: 'BlockUserRequest' });

export const unblockBody = z.object({ reason }).strict().meta({ id: 'UnblockUserRequest' });

export const adminCancelBody = z.object({ reason }).strict().meta({ id: 'AdminCancelRequest' });

export const voidBody = z
  .object({
    bidderId: uuid.meta({ description: 'The bidder whose bids on the auction are voided, all of them.' }),
    reason,
  })
  .strict()
  .meta({ id: 'VoidBidsRequest' });

export const auditQuery = pageQuery
  .extend({
    actor: auctionIdParam.optional().meta({ description: "Only this admin's entries (a user id)." }),
    target: storedText(200)
      .min(1)
      .optional()
      .meta({ description: 'Only entries about this target: a user, auction, sale or order id.' }),
  })
  .strict();
export type AuditQuery = z.infer<typeof auditQuery>;
