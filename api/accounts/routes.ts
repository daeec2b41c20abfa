/** The account routes: sign-up, sign-in, the token verification key, and the signed-in user. Thin: validate, call, answer. */
import { Router } from 'express';
import type { Database } from '../../db/pool.js';
import { requireUser, userIdOf } from '../auth/require-user.js';
import type { TokenService } from '../auth/tokens.js';
import { registerUser } from './register.js';
import { registerBody, tokenBody } from './schemas.js';
import { issueTokenFor } from './sign-in.js';
import { getUser } from './users.js';

export interface AccountDeps {
  db: Database;
  tokens: TokenService;
}

/** Verifiers may hold the key a while; a rotation publishes the new key at least this long before using it. */
const JWKS_MAX_AGE_SECONDS = 300;

export function accountRoutes({ db, tokens }: AccountDeps): Router {
  const router = Router();

  router.post('/v1/users', async (req, res) => {
    res.status(201).json(await registerUser(db, registerBody.parse(req.body)));
  });

  router.post('/v1/auth/token', async (req, res) => {
    res.json(await issueTokenFor(db, tokens, tokenBody.parse(req.body)));
  });

  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`).json(tokens.jwks());
  });

  router.get('/v1/users/me', requireUser(tokens), async (_req, res) => {
    res.json(await getUser(db, userIdOf(res)));
  });

  return router;
}
