/**
 * A session in a browser (docs/SECURITY.md, "Sessions in a browser"): the web app keeps the access token
 * in memory only, and the refresh token lives in a cookie that no script can read (HttpOnly), that goes
 * with same-site requests only (SameSite=Strict), and only to the session routes (its Path): every
 * other route is authorised by the bearer token alone, so it cannot be forged cross-site with a cookie.
 * The refresh token itself is the same as the JSON routes hand out: it rotates, and reuse revokes its
 * family (refresh-tokens.ts).
 */
import type { Request, Response } from 'express';
import { cookieOf } from '../security/request-cookies.js';
import type { IssuedToken, SessionTokens } from './responses.js';

export const SESSION_COOKIE = 'gavel_session';
/** POST /v1/auth/session, …/refresh and DELETE /v1/auth/session: the cookie goes nowhere else. */
export const SESSION_COOKIE_PATH = '/v1/auth/session';
export const SESSION_REFRESH_PATH = `${SESSION_COOKIE_PATH}/refresh`;

/** Longer than any token (43 characters) with room to spare; a longer cookie is no token (no lookup). */
const MAX_TOKEN_LENGTH = 256;

/**
 * Secure when the browser reached the API over https: req.secure, which behind a proxy that ends TLS
 * needs TRUST_PROXY to see X-Forwarded-Proto. A cookie marked Secure over plain http would be dropped
 * by the browser, so a laptop on http://localhost still works.
 */
export function setSessionCookie(res: Response, session: SessionTokens, secure: boolean): void {
  res.cookie(SESSION_COOKIE, session.refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: SESSION_COOKIE_PATH,
    maxAge: session.refreshTokenExpiresIn * 1000,
  });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: SESSION_COOKIE_PATH });
}

/** The refresh token the browser brought, or null when there is none that could be one. */
export function sessionCookieOf(req: Request): string | null {
  const value = cookieOf(req, SESSION_COOKIE);
  return value && value.length <= MAX_TOKEN_LENGTH ? value : null;
}

/** What the app sees of a session: the access token. The refresh token stays in the cookie. */
export const accessTokenOf = ({ accessToken, tokenType, expiresIn }: SessionTokens): IssuedToken => ({
  accessToken,
  tokenType,
  expiresIn,
});
