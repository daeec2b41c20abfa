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

/**
 * Beside the session cookie, with the same lifetime: a cookie the app's script can read, holding no
 * secret (`1`), that says only "a session cookie may be here". The app asks for a refresh on load only
 * when it is present, so a visitor who never signed in does not get a 401 (and a console error) on every
 * page. The server never reads it: the session cookie alone decides, and a stale hint costs one refused
 * refresh, after which both are cleared.
 */
export const SESSION_HINT_COOKIE = 'gavel_signed_in';

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
  res.cookie(SESSION_HINT_COOKIE, '1', {
    httpOnly: false,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: session.refreshTokenExpiresIn * 1000,
  });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: SESSION_COOKIE_PATH });
  res.clearCookie(SESSION_HINT_COOKIE, { httpOnly: false, sameSite: 'strict', secure, path: '/' });
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
