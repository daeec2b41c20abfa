/**
 * The account routes in a small express app of their own, over real HTTP, with the app's JSON parser
 * and the central error handler, as api/app.ts mounts them.
 */
import express from 'express';
import { pino } from 'pino';
import { accountRoutes } from '../../api/accounts/routes.js';
import { MAX_BODY_BYTES } from '../../api/app.js';
import { RefreshTokenStore } from '../../api/auth/refresh-tokens.js';
import { createSessions } from '../../api/auth/sessions.js';
import type { TokenService } from '../../api/auth/tokens.js';
import { errorHandler, notFoundHandler } from '../../api/error-handler.js';
import { drain, listen, portOf } from '../../api/server.js';
import type { Database } from '../../db/pool.js';

export interface AccountsApiOptions {
  db: Database;
  tokens: TokenService;
  /** express.json's `strict` (the app's default, true, refuses JSON whose top level is not an object or array). */
  strictJson?: boolean;
}

export async function startAccountsApi({ db, tokens, strictJson = true }: AccountsApiOptions) {
  const logger = pino({ level: 'silent' });
  const app = express();
  app.use(express.json({ limit: MAX_BODY_BYTES, strict: strictJson }));
  const sessions = createSessions(tokens, new RefreshTokenStore(db, 3600));
  app.use(accountRoutes({ db, tokens, sessions, adminEmails: new Set() }));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  const server = await listen(app, '127.0.0.1', 0);
  return {
    url: `http://127.0.0.1:${portOf(server)}`,
    close: () => drain(server, 1000, logger),
  };
}

export type AccountsApi = Awaited<ReturnType<typeof startAccountsApi>>;
