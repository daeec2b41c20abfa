/**
 * Request shapes of the account routes (zod). Objects are strict, as in the auction routes: a misspelt
 * field (`display_name`) or one the client may not set (`id`, `passwordHash`) is a 400 that names it,
 * never silently dropped. The OpenAPI document (api/openapi/) is generated from these same schemas.
 */
import { z } from 'zod';
import { trimmedText } from '../text.js';

/**
 * zod's email rule, with domain labels as RFC 1035 allows them (at most 63 characters, no hyphen at
 * either end); the local part is at most 64 characters (RFC 5321), checked below. Addresses past
 * those limits cannot be delivered to, and `format: email` validators refuse them.
 */
const EMAIL =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const MAX_LOCAL_PART = 64;

export const emailAddress = z
  .email({ pattern: EMAIL })
  .refine((value) => value.indexOf('@') <= MAX_LOCAL_PART, `at most ${MAX_LOCAL_PART} characters before the @`);

/**
 * Stored and compared lowercased: the unique index is on lower(email), and people mix case freely.
 * The check runs after trim and lowercase (a pipe), so the document states it on the input side.
 */
export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(emailAddress)
  .meta({ format: 'email', pattern: EMAIL.source, example: 'ada@example.com' });

/** Never trimmed or altered: a password is exactly what was typed. 256 caps the hashing work per request. */
export const newPassword = z.string().min(8, 'must be at least 8 characters').max(256);

export const registerBody = z
  .object({
    email,
    password: newPassword,
    displayName: trimmedText(1, 80),
  })
  .strict()
  .meta({ id: 'RegisterRequest' });
export type RegisterBody = z.infer<typeof registerBody>;

/** Any non-empty password may be tried: a later, stricter sign-up rule must not lock out older accounts. */
export const tokenBody = z
  .object({ email, password: z.string().min(1).max(256) })
  .strict()
  .meta({ id: 'TokenRequest' });
export type TokenBody = z.infer<typeof tokenBody>;

/** Refresh tokens are 43 characters (32 random bytes, base64url); anything else is simply not one (401). */
export const refreshBody = z
  .object({ refreshToken: z.string().min(1).max(256) })
  .strict()
  .meta({ id: 'RefreshRequest' });
