/**
 * Routes behind a bearer token: `Authorization: Bearer <token>`. No token is 401 UNAUTHENTICATED; a token
 * that does not verify (forged, expired, malformed) is 401 INVALID_TOKEN, with one message whatever the
 * reason, so the answer teaches a forger nothing. Both carry WWW-Authenticate, as RFC 6750 asks.
 */
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors.js';
import { InvalidTokenError, type TokenService } from './tokens.js';

/** What follows `Bearer ` (the scheme is case-insensitive, RFC 7235), or null when no token was given. */
function bearerTokenOf(header: string | undefined): string | null {
  const match = header === undefined ? null : /^Bearer(?:\s+(.*))?$/is.exec(header.trim());
  return match?.[1] || null;
}

/**
 * Sets `res.locals.userId` from the bearer token, or throws the 401. Answers at once for a token verified
 * before (the hot routes chain it without a wait, api/hot-path.ts); otherwise a promise.
 */
export function userFromToken(tokens: Pick<TokenService, 'verify' | 'verifyCached'>) {
  const refused = (res: Response, error: unknown): never => {
    if (!(error instanceof InvalidTokenError)) throw error;
    res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
    throw new AppError(401, 'INVALID_TOKEN', 'The access token is invalid or has expired');
  };
  return (req: Request, res: Response): void | Promise<void> => {
    // Already verified earlier in this request (a guard that needs the user, ahead of its route).
    if (typeof res.locals.userId === 'string') return;
    const token = bearerTokenOf(req.get('authorization'));
    if (token === null) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new AppError(401, 'UNAUTHENTICATED', 'This needs an access token: Authorization: Bearer <token>');
    }
    let known: { userId: string } | undefined;
    try {
      known = tokens.verifyCached(token);
    } catch (error) {
      refused(res, error);
    }
    if (known) {
      res.locals.userId = known.userId;
      return;
    }
    return tokens.verify(token).then(
      (verified) => {
        res.locals.userId = verified.userId;
      },
      (error: unknown) => refused(res, error),
    );
  };
}

export function requireUser(tokens: Pick<TokenService, 'verify' | 'verifyCached'>): RequestHandler {
  const check = userFromToken(tokens);
  return async (req, res, next) => {
    await check(req, res);
    next();
  };
}

/** The signed-in user's id, on a route behind requireUser (a programming error anywhere else). */
export function userIdOf(res: Response): string {
  const userId: unknown = res.locals.userId;
  if (typeof userId !== 'string') throw new Error('userIdOf() on a route without requireUser');
  return userId;
}

/**
 * For public routes that treat a signed-in user differently (per-user caps): without an Authorization
 * header the request goes on anonymous; with one, it must verify, as with requireUser, so a bad token is
 * a 401 rather than silently anonymous.
 */
export function optionalUser(tokens: Pick<TokenService, 'verify' | 'verifyCached'>): RequestHandler {
  const required = requireUser(tokens);
  return (req, res, next) => (req.get('authorization') === undefined ? next() : required(req, res, next));
}
