/**
 * The account routes: sign-up, sign-in, refresh and logout, the token verification key, and the
 * signed-in user (read, with its role and block; delete). Thin: validate, call, answer.
 */
import { Router } from 'express';
import type { Database } from '../../db/pool.js';
import { noStore } from '../auth/no-store.js';
import { requireUser, userIdOf } from '../auth/require-user.js';
import type { Sessions } from '../auth/sessions.js';
import type { TokenService } from '../auth/tokens.js';
import { deleteAccount, type AccountDeletionDeps } from './delete-account.js';
import { registerUser } from './register.js';
import { refreshBody, registerBody, tokenBody } from './schemas.js';
import { authenticate } from './sign-in.js';
import { getMe } from './users.js';

export interface AccountDeps {
  db: Database;
  tokens: TokenService;
  sessions: Sessions;
  /** ADMIN_EMAILS (domain/moderation/roles.ts): the role GET /v1/users/me says. */
  adminEmails: ReadonlySet<string>;
}

/** Verifiers may hold the key a while; a rotation publishes the new key at least this long before using it. */
const JWKS_MAX_AGE_SECONDS = 300;

export function accountRoutes({ db, tokens, sessions, adminEmails }: AccountDeps): Router {
  const router = Router();

  router.post('/v1/users', async (req, res) => {
    res.status(201).json(await registerUser(db, registerBody.parse(req.body)));
  });

  router.post('/v1/auth/token', async (req, res) => {
    const userId = await authenticate(db, tokenBody.parse(req.body));
    noStore(res).json(await sessions.start(userId));
  });

  router.post('/v1/auth/refresh', async (req, res) => {
    const { refreshToken } = refreshBody.parse(req.body);
    noStore(res).json(await sessions.refresh(refreshToken));
  });

  // Needs only the refresh token, not an access token: logging out must work after the access token expired.
  router.post('/v1/auth/logout', async (req, res) => {
    await sessions.end(refreshBody.parse(req.body).refreshToken);
    res.status(204).end();
  });

  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`).json(tokens.jwks());
  });

  router.get('/v1/users/me', requireUser(tokens), async (_req, res) => {
    res.json(await getMe(db, userIdOf(res), adminEmails));
  });

  return router;
}

/** Apart from the others because a deletion reaches into auctions (Redis, Temporal) as well. */
export function accountDeletionRoutes(tokens: TokenService, deletion: AccountDeletionDeps): Router {
  const router = Router();
  router.delete('/v1/users/me', requireUser(tokens), async (_req, res) => {
    await deleteAccount(deletion, userIdOf(res));
    res.status(204).end();
  });
  return router;
}
