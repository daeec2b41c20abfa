/**
 * DELETE /v1/users/me. The user row stays, anonymised, because bids, auctions and results point at it
 * and their histories must stay whole; what identified the person goes: email and name are replaced by
 * a tombstone, the password, the SSO identities and the refresh tokens are deleted. Their access tokens
 * are revoked, and their auctions that nobody has bid on are cancelled; those with bids run to their end.
 *
 * Each step may be repeated: a deletion that fails half-way (Redis down, say) answers 503 while the
 * user's token still works, and the retry finishes the job.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../../db/pool.js';
import { refreshTokens, userIdentities, users } from '../../db/schema.js';
import { cancelUnbidAuctionsOf, type AuctionDeps } from '../auctions/service.js';
import type { AccessTokenRevocations } from '../auth/revocations.js';

export interface AccountDeletionDeps {
  db: Database;
  revocations: Pick<AccessTokenRevocations, 'revoke'>;
  auctions: AuctionDeps;
  /** The access tokens' lifetime (ACCESS_TOKEN_TTL_SECONDS). */
  accessTokenTtlSeconds: number;
  logger: Logger;
}

export const DELETED_DISPLAY_NAME = 'Deleted user';
/** Unique (the user's own id) and undeliverable: `.invalid` is reserved for exactly this (RFC 2606). */
export const tombstoneEmail = (userId: string) => `deleted-${userId}@deleted.invalid`;

const CANCEL_REASON = 'The seller deleted their account';

export async function deleteAccount(deps: AccountDeletionDeps, userId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [deleted] = await tx
      .update(users)
      .set({
        email: tombstoneEmail(userId),
        displayName: DELETED_DISPLAY_NAME,
        passwordHash: null,
        deletedAt: sql`now()`,
      })
      .where(and(eq(users.id, userId), isNull(users.deletedAt)))
      .returning({ id: users.id });
    if (!deleted) return; // a retry: the row was anonymised by the first attempt
    await tx.delete(userIdentities).where(eq(userIdentities.userId, userId));
    await tx.delete(refreshTokens).where(eq(refreshTokens.userId, userId));
  });
  // Cancels before revoking: if a cancel fails (503), the user's token still works for the retry, which
  // finishes the job (cancelling again is a no-op). Revoked first, a failure would strand the auctions.
  const cancelled = await cancelUnbidAuctionsOf(deps.auctions, userId, CANCEL_REASON);
  // Every token issued up to one lifetime from now is refused: that also covers a sign-in or refresh
  // that read the account just before the transaction above and issues its token just after.
  await deps.revocations.revoke(userId, Math.floor(Date.now() / 1000) + deps.accessTokenTtlSeconds);
  deps.logger.info({ userId, cancelledAuctions: cancelled.length }, 'account deleted');
}
