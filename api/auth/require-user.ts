/**
 * Routes behind a bearer token: `Authorization: Bearer <token>`. No token is 401 UNAUTHENTICATED; a token
 * that does not verify (forged, expired, malformed) is 401 INVALID_TOKEN, with one message whatever the
 * reason, so the answer teaches a forger nothing. Both carry WWW-Authenticate, as RFC 6750 asks.
 */
import type { RequestHandler, Response } from 'express';
import { AppError } from '../errors.js';
import { InvalidTokenError, type TokenService } from './tokens.js';

/** What follows `Bearer ` (the scheme is case-insensitive, RFC 7235), or null when no token was given. */
function bearerTokenOf(header: string | undefined): string | null {
  const match = header === undefined ? null : /^Bearer(?:\s+(.*))?$/is.exec(header.trim());
  return match?.[1] || null;
}

export function requireUser(tokens: Pick<TokenService, 'verify'>): RequestHandler {
  return async (req, res, next) => {
    // Already verified earlier in this request (the bid route's guard does, for its per-user budget).
    if (typeof res.locals.userId === 'string') return next();
    const token = bearerTokenOf(req.get('authorization'));
    if (token === null) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new AppError(401, 'UNAUTHENTICATED', 'This needs an access token: Authorization: Bearer <token>');
    }
    try {
      res.locals.userId = (await tokens.verify(token)).userId;
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new AppError(401, 'INVALID_TOKEN', 'The access token is invalid or has expired');
    }
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
export function optionalUser(tokens: Pick<TokenService, 'verify'>): RequestHandler {
  const required = requireUser(tokens);
  return (req, res, next) => (req.get('authorization') === undefined ? next() : required(req, res, next));
}
