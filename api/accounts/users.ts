/** Reading accounts back. */
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { users } from '../../db/schema.js';
import { effectiveRole } from '../../domain/moderation/roles.js';
import { notFound } from '../errors.js';
import { presentUser, publicUserColumns } from './presenter.js';
import type { MeJson } from './responses.js';

/**
 * 404 when the account is gone although its token still verified: a deletion revokes the user's tokens
 * in every API process, but another process may take up to a second to hear of it (auth/revocations.ts).
 */
export async function getMe(db: Database, userId: string, adminEmails: ReadonlySet<string>): Promise<MeJson> {
  const [user] = await db
    .select({ ...publicUserColumns, role: users.role, blockedAt: users.blockedAt })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .limit(1);
  if (!user) throw notFound('User');
  return { ...presentUser(user), role: effectiveRole(user, adminEmails), blocked: user.blockedAt !== null };
}
