/**
 * Sign-in: email and password for the account's id (the route then starts a session). Every failure is
 * the same 401 with the same message, and takes about as long, so the answer does not tell whether an
 * email has an account.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { users } from '../../db/schema.js';
import { verifyPassword } from '../auth/password.js';
import { AppError } from '../errors.js';
import type { TokenBody } from './schemas.js';

/**
 * Verified against when there is no hash to check (unknown email, SSO-only account), so those answers
 * cost one scrypt like a wrong password does. The hash of a random password nobody kept, written with
 * SCRYPT_PARAMETERS (a test checks they still match).
 */
export const DUMMY_PASSWORD_HASH =
  'scrypt$32768$8$1$UKaWwJZm1AyPCT1E2bB7GA$VSddG8km4XgintCvC1bCS_i4F7tRPwblGHoTREMFCPU';

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'The email or password is not correct');

export async function authenticate(db: Database, input: TokenBody): Promise<string> {
  // lower(email) is what the unique index holds, so this is an index lookup and finds rows of any case.
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(sql`lower(${users.email}) = ${input.email}`)
    .limit(1);
  const matches = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  // A deleted account has no password hash left, so it lands here too.
  if (!user?.passwordHash || !matches) throw invalidCredentials();
  return user.id;
}
