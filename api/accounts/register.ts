/** Sign-up: one insert, and the unique index on lower(email) decides who got an address first. */
import type { Database } from '../../db/pool.js';
import { users } from '../../db/schema.js';
import { hashPassword } from '../auth/password.js';
import { AppError } from '../errors.js';
import { presentUser, publicUserColumns, type UserJson } from './presenter.js';
import type { RegisterBody } from './schemas.js';
import { isUniqueViolation } from './unique-violation.js';

const EMAIL_UNIQUE_INDEX = 'users_email_lower_key';

export async function registerUser(db: Database, input: RegisterBody): Promise<UserJson> {
  const passwordHash = await hashPassword(input.password);
  try {
    // No "is it taken?" query first: two sign-ups at once would both see "free". The index is the judge.
    const [user] = await db
      .insert(users)
      .values({ email: input.email, passwordHash, displayName: input.displayName })
      .returning(publicUserColumns);
    return presentUser(user!);
  } catch (error) {
    if (isUniqueViolation(error, EMAIL_UNIQUE_INDEX)) {
      throw new AppError(409, 'EMAIL_TAKEN', 'An account with this email already exists');
    }
    throw error;
  }
}
