/**
 * The abuse limits, as one router mounted ahead of the feature routers on the same paths: each guard
 * answers 429 or passes the request on to the route itself (`next('router')`: out of this router, as
 * no path has two guards). The two hot routes, bids and claims, take their guards in their own chain
 * instead (hotPathGuards, api/hot-path.ts). Kept out of the route files, so those stay about what a
 * route does; this file is the one list of what is limited, and how.
 */
import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { Cluster, Redis } from 'ioredis';
import type { Config, RateLimitSpec } from '../../config/env.js';
import { email } from '../accounts/schemas.js';
import { SESSION_COOKIE_PATH, SESSION_REFRESH_PATH } from '../auth/browser-session.js';
import { optionalUser, requireUser, userFromToken, userIdOf } from '../auth/require-user.js';
import type { TokenService } from '../auth/tokens.js';
import { clientAddressOf } from './client-address.js';
import {
  createLimiter,
  hashedKeyPart,
  keyPart,
  leasedLimit,
  rateLimit,
  type ClientKeyOf,
  type RateLimitOptions,
} from './rate-limits.js';
import { capStreams, StreamSlots } from './stream-caps.js';
import { UPLOAD_PATH } from '../images/routes.js';
import { closeUploadOnError } from '../images/upload-refusal.js';
import type { AccountBlocks } from '../moderation/account-blocks.js';
import { refuseBlockedOnHotPath } from '../moderation/guards.js';
import type { StreamTickets } from '../notifications/stream-tickets.js';
import { streamUser } from '../notifications/stream-user.js';

export type GuardConfig = Pick<
  Config,
  | 'RATE_LIMIT_BIDS_PER_USER'
  | 'RATE_LIMIT_BIDS_PER_IP'
  | 'RATE_LIMIT_CLAIMS_PER_USER'
  | 'RATE_LIMIT_CLAIMS_PER_IP'
  | 'RATE_LIMIT_SIGN_INS_PER_IP'
  | 'RATE_LIMIT_SIGN_INS_PER_ACCOUNT'
  | 'RATE_LIMIT_SIGN_UPS_PER_IP'
  | 'RATE_LIMIT_SSO_PER_IP'
  | 'RATE_LIMIT_REFRESH_PER_IP'
  | 'RATE_LIMIT_SEARCHES_PER_IP'
  | 'SSE_MAX_STREAMS_PER_IP'
  | 'SSE_MAX_STREAMS_PER_USER'
  | 'IMAGE_UPLOADS_PER_USER'
>;

export interface GuardDeps {
  redis: Redis | Cluster;
  tickets: StreamTickets;
  tokens: Pick<TokenService, 'verify' | 'verifyCached'>;
  config: GuardConfig;
}

const byAddress: ClientKeyOf = (req) => clientAddressOf(req);
/** Only searches: a listing without `q` comes from memory, and must not cost a Redis call. */
const searchesByAddress: ClientKeyOf = (req) => (req.query.q === undefined ? null : clientAddressOf(req));
const byUser: ClientKeyOf = (_req, res) => keyPart(userIdOf(res));
/** The account a sign-in names, normalised as sign-in looks it up; a body without one is refused later (400). */
const byAccount: ClientKeyOf = (req) => {
  const parsed = email.safeParse((req.body as { email?: unknown } | undefined)?.email);
  return parsed.success ? hashedKeyPart(parsed.data) : null;
};

const leaveGuards: RequestHandler = (_req, _res, next) => next('router');

/**
 * A check in front of a hot route (api/hot-path.ts): returns to let the request on, at once when it can
 * decide from memory, or a promise; throws (or rejects with) the refusal.
 */
export type HotGuard = (req: Request, res: Response) => void | Promise<void>;

/** The checks in front of each hot route, in the order they run. */
export interface HotPathGuards {
  bids: HotGuard[];
  claims: HotGuard[];
}

/**
 * Bids and claims, the two routes a crowd hits at once. Per address first: a flood is refused before any
 * token is verified. Then the token, which the route needs anyway, an account an admin blocked (from
 * memory: api/moderation/account-blocks.ts), and the user's own budget. Both budgets are leased: a Redis
 * call per several requests, not two per request.
 */
export function hotPathGuards({
  redis,
  tokens,
  config,
  blocks,
}: Pick<GuardDeps, 'redis' | 'tokens' | 'config'> & { blocks: Pick<AccountBlocks, 'isBlocked'> }): HotPathGuards {
  // A leased budget blocks in memory itself; rate-limiter-flexible's own block would not know leases.
  const leased = (name: string, spec: RateLimitSpec | null, keyOf: ClientKeyOf) =>
    spec === null ? [] : [leasedLimit(createLimiter(redis, name, spec, { blockInMemory: false }), keyOf)];
  const user = userFromToken(tokens);
  const notBlocked = refuseBlockedOnHotPath(blocks);
  // Budgets named `<what>-ip` and `<what>-user` (their Redis keys' prefixes).
  const chain = (what: string, perAddress: RateLimitSpec | null, perUser: RateLimitSpec | null) => [
    ...leased(`${what}-ip`, perAddress, byAddress),
    user,
    notBlocked,
    ...leased(`${what}-user`, perUser, byUser),
  ];
  return {
    bids: chain('bids', config.RATE_LIMIT_BIDS_PER_IP, config.RATE_LIMIT_BIDS_PER_USER),
    claims: chain('claims', config.RATE_LIMIT_CLAIMS_PER_IP, config.RATE_LIMIT_CLAIMS_PER_USER),
  };
}

export function securityGuards({ redis, tickets, tokens, config }: GuardDeps): Router {
  const limit = (name: string, spec: RateLimitSpec | null, keyOf: ClientKeyOf, options: RateLimitOptions = {}) =>
    spec === null
      ? []
      : [rateLimit(createLimiter(redis, name, spec, { blockInMemory: !options.resetOnSuccess }), keyOf, options)];
  const router = Router();
  // express refuses a route with no handler: a path whose limits are all off gets no route.
  // A request passed by its path's guard leaves this router at once (`next('router')`): no other guard is
  // on its path, and express would otherwise try every later guard's path on it first.
  const guard = (
    method: 'get' | 'post' | 'delete',
    path: string,
    handlers: (RequestHandler | ErrorRequestHandler)[],
  ) => {
    if (handlers.length > 0) router[method](path, [...handlers, leaveGuards]);
  };

  // Bids and claims are guarded on the hot path itself (hotPathGuards). Per address first here too: a
  // flood is refused before any password is hashed.
  // The web app's sign-in (api/accounts/session-routes.ts) draws on the same budgets: one password
  // guesser, two doors.
  const signIns = [
    ...limit('sign-ins-ip', config.RATE_LIMIT_SIGN_INS_PER_IP, byAddress),
    // Counts failures in a row: a right password clears the account's count.
    ...limit('sign-ins-account', config.RATE_LIMIT_SIGN_INS_PER_ACCOUNT, byAccount, { resetOnSuccess: true }),
  ];
  guard('post', '/v1/auth/token', signIns);
  guard('post', SESSION_COOKIE_PATH, signIns);

  guard('post', '/v1/users', limit('sign-ups-ip', config.RATE_LIMIT_SIGN_UPS_PER_IP, byAddress));

  // SSO: each start stores a state in Redis, each callback may call the provider, each code exchange
  // starts a session. One budget for the three; refresh and logout share another (each is a Postgres
  // transaction, and a token signed).
  const ssoPerAddress = limit('sso-ip', config.RATE_LIMIT_SSO_PER_IP, byAddress);
  guard('get', '/v1/auth/sso/:provider/start', ssoPerAddress);
  guard('get', '/v1/auth/sso/:provider/callback', ssoPerAddress);
  guard('post', '/v1/auth/sso/token', ssoPerAddress);
  const refreshPerAddress = limit('refresh-ip', config.RATE_LIMIT_REFRESH_PER_IP, byAddress);
  guard('post', '/v1/auth/refresh', refreshPerAddress);
  guard('post', '/v1/auth/logout', refreshPerAddress);
  guard('post', SESSION_REFRESH_PATH, refreshPerAddress);
  guard('delete', SESSION_COOKIE_PATH, refreshPerAddress);

  // Discovery: a search is a Postgres full-text query; the listing itself is not limited.
  guard('get', '/v1/auctions', limit('searches-ip', config.RATE_LIMIT_SEARCHES_PER_IP, searchesByAddress));

  // One count for every kind of stream: a user's cap covers auction, sale and notification streams.
  const streamSlots = new StreamSlots();
  const streamCaps = { perIp: config.SSE_MAX_STREAMS_PER_IP, perUser: config.SSE_MAX_STREAMS_PER_USER };
  guard('get', '/v1/auctions/:id/events', [optionalUser(tokens), capStreams(streamSlots, streamCaps)]);
  guard('get', '/v1/sales/:id/events', [optionalUser(tokens), capStreams(streamSlots, streamCaps)]);
  // The stream finds its user from a ticket or a token before it takes a slot.
  guard('get', '/v1/users/me/events', [streamUser(tickets, requireUser(tokens)), capStreams(streamSlots, streamCaps)]);

  // --- Images: upload attempts per seller; a refusal here closes the connection, as the route's do.
  const uploadsPerUser = limit('image-uploads-user', config.IMAGE_UPLOADS_PER_USER, byUser);
  if (uploadsPerUser.length > 0)
    guard('post', UPLOAD_PATH, [requireUser(tokens), ...uploadsPerUser, closeUploadOnError]);

  return router;
}
