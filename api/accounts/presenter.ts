/** A user as the API shows it: never the password hash. */
import { users } from '../../db/schema.js';
import type { UserJson } from './responses.js';

/** The columns a user is shown with, for selects and returning clauses that must not read the hash. */
export const publicUserColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  createdAt: users.createdAt,
};

/** Its shape is the response schema's (responses.ts), which the OpenAPI document is generated from. */
export type { UserJson };

export const presentUser = (user: { id: string; email: string; displayName: string; createdAt: Date }): UserJson => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
  createdAt: user.createdAt.toISOString(),
});
