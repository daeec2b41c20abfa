/**
 * Who is an admin. An account is one when its stored role says so, or when its email is one of the
 * deployment's ADMIN_EMAILS: decided at each request, so an address listed there makes its account an
 * admin whenever that account signs up, before or after the process started, and taking an address off
 * the list takes the power back at the next restart without touching the database.
 */

export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleHolder {
  /** As stored (users.role): what admins granted. */
  role: Role;
  email: string;
}

/** Emails compare as the users table's unique index does: case-insensitively. */
export const normalisedEmail = (email: string) => email.trim().toLowerCase();

/** The configured addresses as a set to look emails up in. */
export const adminEmailSet = (emails: readonly string[]): ReadonlySet<string> => new Set(emails.map(normalisedEmail));

/** The role an account acts with: admin if granted one, or if its email is configured as an admin's. */
export function effectiveRole(account: RoleHolder, adminEmails: ReadonlySet<string>): Role {
  return account.role === 'admin' || adminEmails.has(normalisedEmail(account.email)) ? 'admin' : 'user';
}

export const isAdmin = (account: RoleHolder, adminEmails: ReadonlySet<string>) =>
  effectiveRole(account, adminEmails) === 'admin';

/** True when the account is an admin by ADMIN_EMAILS, whatever its stored role: no admin can take that away. */
export const isAdminByConfig = (email: string, adminEmails: ReadonlySet<string>) =>
  adminEmails.has(normalisedEmail(email));
