/**
 * The browser session (api/auth/browser-session.ts): the web app's sign-in, refresh and sign-out, with
 * the refresh token in an HttpOnly cookie instead of the JSON body. The JSON routes (routes.ts) stay as
 * they are for every other client. Each route here either sets the cookie or acts on it, so each is
 * behind the cross-site checks (requireSameOrigin) and none of its answers may be cached.
 *
 * Rate limits are the JSON routes' own (api/security/guards.ts): sign-in's for POST /v1/auth/session,
 * refresh's for the other two.
 */
import { Router, type RequestHandler } from 'express';
import {
  accessTokenOf,
  clearSessionCookie,
  sessionCookieOf,
  setSessionCookie,
  SESSION_COOKIE_PATH,
  SESSION_REFRESH_PATH,
} from '../auth/browser-session.js';
import { noStore } from '../auth/no-store.js';
import { invalidRefreshToken, type Sessions } from '../auth/sessions.js';
import { AppError } from '../errors.js';
import { requireSameOrigin } from '../security/same-origin.js';
import type { Database } from '../../db/pool.js';
import { tokenBody } from './schemas.js';
import { authenticate } from './sign-in.js';

export interface SessionRouteDeps {
  db: Database;
  sessions: Sessions;
}

/** Set first, so refusals (403, 401) are not cacheable either. */
const notCached: RequestHandler = (_req, res, next) => {
  noStore(res);
  next();
};

export function sessionRoutes({ db, sessions }: SessionRouteDeps): Router {
  const router = Router();

  router.post(SESSION_COOKIE_PATH, notCached, requireSameOrigin, async (req, res) => {
    const userId = await authenticate(db, tokenBody.parse(req.body));
    const session = await sessions.start(userId);
    setSessionCookie(res, session, req.secure);
    res.json(accessTokenOf(session));
  });

  router.post(SESSION_REFRESH_PATH, notCached, requireSameOrigin, async (req, res) => {
    const refreshToken = sessionCookieOf(req);
    try {
      if (refreshToken === null) throw invalidRefreshToken();
      const session = await sessions.refresh(refreshToken);
      setSessionCookie(res, session, req.secure);
      res.json(accessTokenOf(session));
    } catch (error) {
      // A cookie that can never work again goes; one that met an outage (503) stays for the next try.
      if (error instanceof AppError && error.status === 401) clearSessionCookie(res, req.secure);
      throw error;
    }
  });

  // Needs no access token, as POST /v1/auth/logout: signing out must work after the access token expired.
  router.delete(SESSION_COOKIE_PATH, notCached, requireSameOrigin, async (req, res) => {
    const refreshToken = sessionCookieOf(req);
    if (refreshToken !== null) await sessions.end(refreshToken);
    clearSessionCookie(res, req.secure);
    res.status(204).end();
  });

  return router;
}
