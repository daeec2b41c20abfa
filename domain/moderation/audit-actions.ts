/**
 * What the audit log records (db/audit-log.ts writes it; GET /v1/admin/audit reads it). The list grows
 * as features do: a new kind of entry is one line here, and the log's `action` column is plain text, so
 * adding one needs no migration. Names are `<what>_<happened>`, as notification types are.
 */

export const AUDIT_ACTIONS = [
  // An admin's own actions (api/admin/): each written in the transaction of its change, where it has one.
  'role_changed',
  'user_blocked',
  'user_unblocked',
  'auction_cancelled',
  'sale_cancelled',
  // Taking bids back, written by the persist cycle when it copies the retraction from the stream
  // (activities/retractions.ts): an admin's void, and a bidder's own retraction (the actor is the bidder).
  'bids_voided',
  'bids_retracted',
  // The system's (actor null): the settlement's expiry of an unpaid order (activities/settlement/orders.ts).
  'unpaid_strike',
  // The promoter: an admin's changes to a promotion (api/admin/promotions.ts), and every firing of one,
  // whatever came of it (activities/promotions/fire.ts; actor null).
  'promotion_created',
  'promotion_paused',
  'promotion_resumed',
  'promotion_deleted',
  'promotion_fired',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an entry is about; its id is in `target_id`. */
export const AUDIT_TARGET_TYPES = ['user', 'auction', 'sale', 'order', 'promotion'] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** One entry as it is written: `at` and `id` come from the database. */
export interface AuditEntryDraft {
  /** The admin who acted; null for the system (a workflow's activity). */
  actorId: string | null;
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: string;
  reason: string | null;
  /** What a reader needs beyond the target: the role before and after, the order of a strike, ... */
  details: Record<string, unknown>;
  /** The HTTP request that did it (X-Request-Id, or one the API made up); null outside a request. */
  requestId: string | null;
}

export const isAuditAction = (value: string): value is AuditAction =>
  (AUDIT_ACTIONS as readonly string[]).includes(value);
