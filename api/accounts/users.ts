/** Reading accounts back. */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { users } from '../../db/schema.js';
import { notFound } from '../errors.js';
import { presentUser, publicUserColumns, type UserJson } from './presenter.js';

/** 404 when the account is gone although its token is still valid (tokens are not revoked on deletion). */
export async function getUser(db: Database, userId: string): Promise<UserJson> {
  const [user] = await db.select(publicUserColumns).from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw notFound('User');
  return presentUser(user);
}
