/**
 * Request shapes of the account routes (zod). Objects are strict, as in the auction routes: a misspelt
 * field (`display_name`) or one the client may not set (`id`, `passwordHash`) is a 400 that names it,
 * never silently dropped.
 */
import { z } from 'zod';

/** Stored and compared lowercased: the unique index is on lower(email), and people mix case freely. */
export const email = z.string().trim().toLowerCase().max(254).pipe(z.email());

/** Never trimmed or altered: a password is exactly what was typed. 256 caps the hashing work per request. */
export const newPassword = z.string().min(8, 'must be at least 8 characters').max(256);

export const registerBody = z
  .object({
    email,
    password: newPassword,
    displayName: z.string().trim().min(1).max(80),
  })
  .strict();
export type RegisterBody = z.infer<typeof registerBody>;

/** Any non-empty password may be tried: a later, stricter sign-up rule must not lock out older accounts. */
export const tokenBody = z.object({ email, password: z.string().min(1).max(256) }).strict();
export type TokenBody = z.infer<typeof tokenBody>;
