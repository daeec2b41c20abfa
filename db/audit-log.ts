/**
 * The one writer of the audit log (db/audit-log-schema.ts): the API's admin routes and the workflows'
 * activities append through here, on the transaction of the change they record wherever there is one,
 * so an entry exists exactly when its change does. Nothing updates or deletes an entry (a trigger
 * refuses it).
 */
import type { AuditEntryDraft } from '../domain/moderation/audit-actions.js';
import { auditLog } from './audit-log-schema.js';
import type { Database } from './pool.js';

/** The pool, or a transaction of it. */
type Writer = Pick<Database, 'insert'>;

export type AuditEntryRow = typeof auditLog.$inferSelect;

export async function appendAuditEntry(db: Writer, entry: AuditEntryDraft): Promise<AuditEntryRow> {
  const [row] = await db
    .insert(auditLog)
    .values({
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      reason: entry.reason,
      details: entry.details,
      requestId: entry.requestId,
    })
    .returning();
  return row!;
}

/** The answer of a change that changed nothing: its entry is rolled back. */
class NothingChanged<T> extends Error {
  constructor(readonly result: T) {
    super('nothing changed');
  }
}

/**
 * For a change made outside Postgres (in Redis, in a workflow): its entry is written first, in a
 * transaction held open while `change` runs, and committed only if `change` says it changed something.
 * So a Postgres that cannot take the entry stops the change before it is made, and a repeat that changes
 * nothing leaves no entry. Only a commit failing after the change was made could lose its entry.
 */
export async function withAuditEntry<T>(
  db: Database,
  entry: AuditEntryDraft,
  change: () => Promise<{ changed: boolean; result: T }>,
): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      await appendAuditEntry(tx, entry);
      const { changed, result } = await change();
      if (!changed) throw new NothingChanged(result);
      return result;
    });
  } catch (error) {
    if (error instanceof NothingChanged) return error.result as T;
    throw error;
  }
}
