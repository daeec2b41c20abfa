/**
 * What the admin routes answer, as zod schemas: the presenters are typed by them and the OpenAPI
 * document is generated from them (api/openapi/admin-paths.ts).
 */
import { z } from 'zod';
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from '../../domain/moderation/audit-actions.js';
import { ROLES } from '../../domain/moderation/roles.js';
import { instant, uuid } from '../wire-types.js';

/** An account as an admin sees it: its role and its block, beside what anyone sees. */
export const moderatedUser = z
  .object({
    id: uuid,
    email: z.string(),
    displayName: z.string(),
    createdAt: instant,
    role: z
      .enum(ROLES)
      .meta({ description: 'The role it acts with: admin if granted, or if its email is in ADMIN_EMAILS.' }),
    grantedRole: z.enum(ROLES).meta({ description: 'The role stored for it, as admins last set it.' }),
    adminByConfig: z
      .boolean()
      .meta({ description: 'Its email is in ADMIN_EMAILS: an admin whatever its stored role.' }),
    blocked: z.boolean(),
    blockedAt: instant.nullable(),
    blockedReason: z.string().nullable(),
  })
  .meta({ id: 'ModeratedUser' });
export type ModeratedUserJson = z.infer<typeof moderatedUser>;

export const auditEntry = z
  .object({
    id: z.number().int().positive().meta({ description: 'Increasing: the newer, the higher.' }),
    at: instant,
    actorId: uuid.nullable().meta({ description: 'The admin who acted; null for the system (an unpaid strike).' }),
    action: z.enum(AUDIT_ACTIONS),
    targetType: z.enum(AUDIT_TARGET_TYPES),
    targetId: z.string(),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).meta({
      description: 'What else the entry needs: the role before and after, the order and auction of a strike, ...',
    }),
    requestId: z
      .string()
      .nullable()
      .meta({ description: "The request that did it (its X-Request-Id); null for the system's." }),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntryJson = z.infer<typeof auditEntry>;

export const auditPage = z
  .object({ items: z.array(auditEntry), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditPage' });
export type AuditPageJson = z.infer<typeof auditPage>;
