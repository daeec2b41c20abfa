/**
 * The audit log: who did what to whom, and why. Append-only: a trigger (in the migration that made the
 * table) refuses UPDATE, DELETE and TRUNCATE, so an entry, once committed, stays as written. Entries are
 * written by db/audit-log.ts only; their `action` names are listed in domain/moderation/audit-actions.ts
 * (plain text here, so a new kind needs no migration).
 */
import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AuditAction, AuditTargetType } from '../domain/moderation/audit-actions.js';
import { users } from './schema.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const auditLog = pgTable(
  'audit_log',
  {
    /** Increasing: the listing's order (newest first) and its cursor. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: instant('at').notNull().defaultNow(),
    /** The admin who acted; null for the system (a workflow's activity). */
    actorId: uuid('actor_id').references(() => users.id),
    action: text('action').$type<AuditAction>().notNull(),
    targetType: text('target_type').$type<AuditTargetType>().notNull(),
    /** Text, not uuid: a later kind of target may be named otherwise (an auction's bid, say). */
    targetId: text('target_id').notNull(),
    reason: text('reason'),
    details: jsonb('details')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    requestId: text('request_id'),
  },
  (t) => [index('audit_log_actor_idx').on(t.actorId, t.id), index('audit_log_target_idx').on(t.targetId, t.id)],
);
