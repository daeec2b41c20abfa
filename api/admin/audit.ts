/**
 * The audit log, newest first, a page at a time (keyset on the increasing id, as the inbox pages),
 * optionally only one admin's entries or only those about one target.
 */
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog } from '../../db/audit-log-schema.js';
import type { AuditEntryRow } from '../../db/audit-log.js';
import type { Database } from '../../db/pool.js';
import { fromOpaque, toOpaque } from '../auctions/cursor.js';
import { AppError } from '../errors.js';
import type { AuditEntryJson, AuditPageJson } from './responses.js';
import type { AuditQuery } from './schemas.js';

const cursorWire = z.object({ n: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict();

function decodeCursor(cursor: string): number {
  const parsed = cursorWire.safeParse(fromOpaque(cursor));
  if (!parsed.success) throw new AppError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued');
  return parsed.data.n;
}

const present = (row: AuditEntryRow): AuditEntryJson => ({
  id: row.id,
  at: row.at.toISOString(),
  actorId: row.actorId,
  action: row.action,
  targetType: row.targetType,
  targetId: row.targetId,
  reason: row.reason,
  details: row.details,
  requestId: row.requestId,
});

export async function listAuditLog(db: Database, query: AuditQuery): Promise<AuditPageJson> {
  const conditions: SQL[] = [];
  // An empty cursor is the first page, as on every other list.
  if (query.cursor) conditions.push(lt(auditLog.id, decodeCursor(query.cursor)));
  if (query.actor !== undefined) conditions.push(eq(auditLog.actorId, query.actor));
  // Targets are written as Postgres prints uuids (lowercase); a client may have them in capitals.
  if (query.target !== undefined) conditions.push(eq(auditLog.targetId, query.target.toLowerCase()));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(present),
    nextCursor: rows.length > query.limit && last ? toOpaque({ n: last.id }) : null,
  };
}
