/**
 * An admin's actions on accounts: read one, set its role, block and unblock it. Each change and its
 * audit entry are one transaction, under the account's row lock, so concurrent changes to one account
 * go one after the other and each entry says what it changed; a request that changes nothing (the role
 * it already has, a block of a blocked account) writes no entry and answers the account as it is.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { appendAuditEntry } from '../../db/audit-log.js';
import type { Database } from '../../db/pool.js';
import { users } from '../../db/schema.js';
import { effectiveRole, isAdminByConfig, type Role } from '../../domain/moderation/roles.js';
import { isAuctionId as isUuid } from '../auctions/ids.js';
import { AppError, notFound } from '../errors.js';
import type { AccountBlocks } from '../moderation/account-blocks.js';
import type { Actor } from './require-admin.js';
import type { ModeratedUserJson } from './responses.js';

export interface AccountModerationDeps {
  db: Database;
  blocks: Pick<AccountBlocks, 'announce'>;
  adminEmails: ReadonlySet<string>;
}

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

const moderatedColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  createdAt: users.createdAt,
  role: users.role,
  blockedAt: users.blockedAt,
  blockedReason: users.blockedReason,
  blockVersion: users.blockVersion,
};
type ModeratedRow = { [K in keyof typeof moderatedColumns]: (typeof users.$inferSelect)[K] };

const present = (row: ModeratedRow, adminEmails: ReadonlySet<string>): ModeratedUserJson => ({
  id: row.id,
  email: row.email,
  displayName: row.displayName,
  createdAt: row.createdAt.toISOString(),
  role: effectiveRole(row, adminEmails),
  grantedRole: row.role,
  adminByConfig: isAdminByConfig(row.email, adminEmails),
  blocked: row.blockedAt !== null,
  blockedAt: row.blockedAt?.toISOString() ?? null,
  blockedReason: row.blockedReason,
});

/** A deleted account is gone to admins too: its row stays only so bids and auctions keep their owner. */
const live = (id: string) => and(eq(users.id, id), isNull(users.deletedAt));

/** The account, locked for the rest of `tx`; 404 for an unknown, malformed or deleted id. */
async function lockAccount(tx: Transaction, id: string): Promise<ModeratedRow> {
  if (!isUuid(id)) throw notFound('user');
  const [row] = await tx.select(moderatedColumns).from(users).where(live(id)).for('update');
  if (!row) throw notFound('user');
  return row;
}

export async function readModeratedUser(deps: AccountModerationDeps, id: string): Promise<ModeratedUserJson> {
  if (!isUuid(id)) throw notFound('user');
  const [row] = await deps.db.select(moderatedColumns).from(users).where(live(id));
  if (!row) throw notFound('user');
  return present(row, deps.adminEmails);
}

export async function setRole(
  deps: AccountModerationDeps,
  actor: Actor,
  id: string,
  body: { role: Role; reason?: string | undefined },
): Promise<ModeratedUserJson> {
  const row = await deps.db.transaction(async (tx) => {
    const account = await lockAccount(tx, id);
    if (body.role === 'user' && isAdminByConfig(account.email, deps.adminEmails)) {
      throw new AppError(
        409,
        'ADMIN_BY_CONFIG',
        "This account is an admin because its email is in ADMIN_EMAILS: take it off that list (the deployment's configuration) instead",
      );
    }
    if (account.role === body.role) return account;
    const [changed] = await tx
      .update(users)
      .set({ role: body.role })
      .where(eq(users.id, account.id))
      .returning(moderatedColumns);
    await appendAuditEntry(tx, {
      ...actor,
      action: 'role_changed',
      targetType: 'user',
      targetId: account.id,
      reason: body.reason ?? null,
      details: { from: account.role, to: body.role },
    });
    return changed!;
  });
  return present(row, deps.adminEmails);
}

/**
 * Blocks (or unblocks) the account in Postgres, with its entry, then tells the API processes. Told again
 * on a repeat, too: that mends a Redis write that failed after an earlier commit.
 */
async function changeBlock(
  deps: AccountModerationDeps,
  actor: Actor,
  id: string,
  reason: string,
  block: boolean,
): Promise<ModeratedUserJson> {
  const row = await deps.db.transaction(async (tx) => {
    const account = await lockAccount(tx, id);
    if ((account.blockedAt !== null) === block) return account;
    const [changed] = await tx
      .update(users)
      .set({
        blockedAt: block ? new Date() : null,
        blockedReason: block ? reason : null,
        blockVersion: sql`${users.blockVersion} + 1`,
      })
      .where(eq(users.id, account.id))
      .returning(moderatedColumns);
    await appendAuditEntry(tx, {
      ...actor,
      action: block ? 'user_blocked' : 'user_unblocked',
      targetType: 'user',
      targetId: account.id,
      reason,
      details: block ? {} : { blockedAt: account.blockedAt?.toISOString(), blockedReason: account.blockedReason },
    });
    return changed!;
  });
  if (row.blockVersion > 0) await deps.blocks.announce(row.id, row.blockVersion, row.blockedAt !== null);
  return present(row, deps.adminEmails);
}

export const blockUser = (deps: AccountModerationDeps, actor: Actor, id: string, reason: string) =>
  changeBlock(deps, actor, id, reason, true);

export const unblockUser = (deps: AccountModerationDeps, actor: Actor, id: string, reason: string) =>
  changeBlock(deps, actor, id, reason, false);
