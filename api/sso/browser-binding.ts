/**
 * Binds a sign-in to the browser that started it. `state` alone proves the callback answers a sign-in
 * this API started, not that the browser bringing it started it: an attacker could start a sign-in with
 * their own account, stop before the callback, and lure someone to that callback URL, signing the victim
 * into the attacker's account (login CSRF, RFC 9700 §4.7). So the start sets a random value in an
 * HttpOnly cookie, the attempt keeps its hash, and the callback must bring the cookie back.
 *
 * SameSite=Lax: the provider's redirect back is a top-level GET navigation from another site, which Lax
 * cookies go along with (Strict ones do not). The path is the callback's, so the cookie goes nowhere else.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { cookieOf } from '../security/request-cookies.js';

export const BINDING_COOKIE = 'gavel_sso';

const hash = (value: string) => createHash('sha256').update(value).digest();

export const callbackPath = (providerId: string) => `/v1/auth/sso/${providerId}/callback`;

export function newBinding(): { value: string; hash: string } {
  const value = randomBytes(32).toString('base64url');
  return { value, hash: hash(value).toString('base64url') };
}

export function setBindingCookie(
  res: Response,
  providerId: string,
  value: string,
  { secure, maxAgeSeconds }: { secure: boolean; maxAgeSeconds: number },
): void {
  res.cookie(BINDING_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: callbackPath(providerId),
    maxAge: maxAgeSeconds * 1000,
  });
}

/** Once the callback has been answered (either way), the cookie has done its job. */
export function clearBindingCookie(res: Response, providerId: string, secure: boolean): void {
  res.clearCookie(BINDING_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: callbackPath(providerId) });
}

/** The binding the browser brought back, or null (no cookie header, no such cookie). */
export const bindingOf = (req: Request): string | null => cookieOf(req, BINDING_COOKIE);

export function bindingMatches(value: string | null, expectedHash: string): boolean {
  if (value === null) return false;
  const expected = Buffer.from(expectedHash, 'base64url');
  const actual = hash(value);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
