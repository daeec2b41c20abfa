/** Reading accounts back. */
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { users } from '../../db/schema.js';
import { notFound } from '../errors.js';
import { presentUser, publicUserColumns, type UserJson } from './presenter.js';

/**
 * 404 when the account is gone although its token still verified: a deletion revokes the user's tokens
 * in every API process, but another process may take up to a second to hear of it (auth/revocations.ts).
 */
export async function getUser(db: Database, userId: string): Promise<UserJson> {
  const [user] = await db
    .select(publicUserColumns)
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .limit(1);
  if (!user) throw notFound('User');
  return presentUser(user);
}
