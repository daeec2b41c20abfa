/** A user as the API shows it: never the password hash. */
import { users } from '../../db/schema.js';

/** The columns a user is shown with, for selects and returning clauses that must not read the hash. */
export const publicUserColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  createdAt: users.createdAt,
};

export interface UserJson {
  id: string;
  email: string;
  displayName: string;
  createdAt: string;
}

export const presentUser = (user: { id: string; email: string; displayName: string; createdAt: Date }): UserJson => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
  createdAt: user.createdAt.toISOString(),
});
