/**
 * The guard of every admin route (mounted on /v1/admin, so a route added there later is guarded too):
 * 401 without a valid token, as requireUser answers; 403 FORBIDDEN for any account that is not an admin
 * now. Who is an admin is decided at each request (domain/moderation/roles.ts): the stored role, or an
 * email in ADMIN_EMAILS, so a role granted or taken, or an account that signed up with a listed address
 * after the process started, counts at once. One Postgres read per admin request: admin routes are few
 * and rare, unlike bids.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { RequestHandler, Response } from 'express';
import type { Database } from '../../db/pool.js';
import { users } from '../../db/schema.js';
import { isAdmin } from '../../domain/moderation/roles.js';
import { userFromToken, userIdOf } from '../auth/require-user.js';
import type { TokenService } from '../auth/tokens.js';
import { AppError } from '../errors.js';
import { requestIdOf } from '../request-id.js';

export interface RequireAdminDeps {
  db: Database;
  tokens: Pick<TokenService, 'verify' | 'verifyCached'>;
  adminEmails: ReadonlySet<string>;
}

export const forbidden = () => new AppError(403, 'FORBIDDEN', 'This needs an admin account');

/** Whether a user is an admin now. */
export type IsAdmin = (userId: string) => Promise<boolean>;

/**
 * The one question, for this guard and for the routes that show admins more rather than refuse everyone
 * else (bidder ids on an auction, its bidders: api/auctions/viewer.ts).
 */
export function adminLookup({ db, adminEmails }: Pick<RequireAdminDeps, 'db' | 'adminEmails'>): IsAdmin {
  return async (userId) => {
    const [account] = await db
      .select({ role: users.role, email: users.email })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.deletedAt)));
    return account !== undefined && isAdmin(account, adminEmails);
  };
}

export function requireAdmin(deps: RequireAdminDeps): RequestHandler {
  const user = userFromToken(deps.tokens);
  const admin = adminLookup(deps);
  return async (req, res, next) => {
    await user(req, res);
    if (!(await admin(userIdOf(res)))) throw forbidden();
    // Named in the answer and in the audit log's entries, so one can be found from the other.
    requestIdOf(req, res);
    next();
  };
}

/** Who acts, in an admin's audit entries. */
export interface Actor {
  actorId: string;
  requestId: string | null;
}

/** The acting admin and the request, on a route behind requireAdmin. */
export const actorOf = (res: Response): Actor => ({
  actorId: userIdOf(res),
  requestId: typeof res.locals.requestId === 'string' ? res.locals.requestId : null,
});
