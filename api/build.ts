/** Composes the API from config and live dependencies: used by main.ts, the tests and the benches alike. */
import { tmpdir } from 'node:os';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import { createStripe } from '../config/stripe.js';
import { accountDeletionRoutes, accountRoutes } from './accounts/routes.js';
import { adminLookup, requireAdmin } from './admin/require-admin.js';
import { adminRoutes } from './admin/routes.js';
import { RetractionLedger } from '../lua/retraction-ledger.js';
import { adminEmailSet } from '../domain/moderation/roles.js';
import { AccountBlocks } from './moderation/account-blocks.js';
import { blockedAccountGuards } from './moderation/guards.js';
import { sessionRoutes } from './accounts/session-routes.js';
import { createApp } from './app.js';
import { relistRoutes } from './auctions/relist-routes.js';
import { auctionRoutes, placeBidRoute } from './auctions/routes.js';
import { termsPolicyOf } from './auctions/terms.js';
import { RefreshTokenStore } from './auth/refresh-tokens.js';
import { optionalUser, requireUser } from './auth/require-user.js';
import { AccessTokenRevocations } from './auth/revocations.js';
import { createSessions } from './auth/sessions.js';
import { createTokenService } from './auth/tokens.js';
import type { ApiDependencies } from './dependencies.js';
import { imageRoutes } from './images/routes.js';
import { inboxRoutes } from './notifications/inbox-routes.js';
import { StreamTickets } from './notifications/stream-tickets.js';
import { DEVELOPMENT_LINK_SECRET } from '../domain/notifications/unsubscribe-token.js';
import { webhookRoutes } from './notifications/webhooks-routes.js';
import { listImages } from './images/service.js';
import { settlementRoutes } from './settlement/routes.js';
import { Discovery } from './discovery/discovery.js';
import { notificationRoutes } from './notifications/routes.js';
import { watchersOf } from './notifications/watchlist.js';
import { createMetrics, type Metrics } from './metrics.js';
import { hotPathGuards, securityGuards } from './security/guards.js';
import { hotPath } from './hot-path.js';
import { buildOpenApiDocument } from './openapi/document.js';
import { publicBaseUrl } from './images/storage.js';
import { defaultWebAppDir, webAppRoutes } from './web-app.js';
import { openApiRoutes } from './openapi/routes.js';
import { createLifecycle, type Lifecycle } from './server.js';
import { BiddingBlocks } from './settlement/bidding-blocks.js';
import { EventHub } from './sse/hub.js';
import { SsoAttempts } from './sso/attempts.js';
import { SsoCliCodes } from './sso/cli-codes.js';
import { SsoProviders } from './sso/providers.js';
import { ssoRoutes } from './sso/routes.js';
import { CoalescedSaleEvents } from './sales/coalesced-events.js';
import { claimUnitsRoute, saleRoutes } from './sales/routes.js';
import { SaleTermsCache } from './sales/terms.js';

export interface Api {
  app: Express;
  hub: EventHub;
  lifecycle: Lifecycle;
  /**
   * Stops the API's own timers (the revocation poll, the bidding and account blocks' reloads); the server and the
   * connections are the caller's.
   */
  stop: () => void;
  discovery: Discovery;
  /** Served by the app at /metrics, or on METRICS_PORT by the caller (api/run.ts), or summed over a cluster's workers (api/cluster.ts). */
  metrics: Metrics;
}

export async function buildApi(config: Config, deps: ApiDependencies, logger: Logger): Promise<Api> {
  const lifecycle = createLifecycle();
  const revocations = new AccessTokenRevocations(deps.redis, config.ACCESS_TOKEN_TTL_SECONDS, logger);
  revocations.start();
  const tokens = await createTokenService({
    privateKey: config.JWT_PRIVATE_KEY ?? null,
    keyId: config.JWT_KEY_ID ?? null,
    issuer: config.JWT_ISSUER,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    revocations,
  });
  const refreshTokens = new RefreshTokenStore(deps.database.db, config.REFRESH_TOKEN_TTL_SECONDS);
  const sessions = createSessions(tokens, refreshTokens);
  const hub = new EventHub(deps.subscriber, logger);
  const metrics = createMetrics(() => hub.streamCount);
  const tickets = new StreamTickets(deps.redis);
  // The listing read model loads before the API listens (or keeps trying while the listing answers 503).
  const discovery = new Discovery({
    db: deps.database.db,
    redis: deps.redis,
    feedRedis: deps.listingFeed,
    logger,
    reconcileMs: config.DISCOVERY_RECONCILE_SECONDS * 1000,
    cursorTtlMs: config.DISCOVERY_CURSOR_TTL_SECONDS * 1000,
    endedListedMs: config.DISCOVERY_ENDED_LISTED_DAYS * 24 * 3600 * 1000,
    searchMaxMatches: config.DISCOVERY_SEARCH_MAX_MATCHES,
  });
  await discovery.start();
  const biddingBlocks = new BiddingBlocks({
    db: deps.database.db,
    hub,
    policy: { toBlock: config.UNPAID_STRIKES_TO_BLOCK, windowDays: config.UNPAID_STRIKE_WINDOW_DAYS },
    logger,
  });
  await biddingBlocks.start();
  // Accounts an admin blocked: refilled from Postgres into Redis and memory before the API listens.
  const accountBlocks = new AccountBlocks({ db: deps.database.db, redis: deps.redis, logger });
  await accountBlocks.start();
  const adminEmails = adminEmailSet(config.ADMIN_EMAILS);
  const auctions = {
    db: deps.database.db,
    store: deps.store,
    temporal: deps.temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    logger,
    discovery,
    terms: termsPolicyOf(config),
    biddingBlocks,
    retractionsToBlock: config.RETRACTIONS_TO_BLOCK,
    retractionLedger: new RetractionLedger(deps.redis),
    isAdmin: adminLookup({ db: deps.database.db, adminEmails }),
    bidDecided: metrics.bidDecided,
  };
  const sales = {
    db: deps.database.db,
    store: deps.sales,
    terms: new SaleTermsCache(deps.database.db),
    temporal: deps.temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    logger,
    listing: discovery,
  };
  const images = {
    auctions,
    storage: deps.imageStorage,
    maxBytes: config.IMAGE_MAX_BYTES,
    maxPerAuction: config.IMAGES_PER_AUCTION,
    uploadDir: config.IMAGE_UPLOAD_DIR ?? tmpdir(),
  };
  const challenges = {
    hmacKey: config.ALTCHA_HMAC_KEY,
    maxNumber: config.SALE_CHALLENGE_MAX_NUMBER,
    ttlSeconds: config.SALE_CHALLENGE_TTL_SECONDS,
  };
  const imagesOf = (auctionId: string) => listImages(deps.database.db, deps.imageStorage, auctionId);
  const app = createApp({
    logger,
    metrics,
    serveMetrics: config.METRICS_PORT === undefined,
    readinessChecks: deps.readinessChecks,
    readinessTimeoutMs: config.READINESS_TIMEOUT_MS,
    isShuttingDown: lifecycle.isShuttingDown,
    trustProxy: config.TRUST_PROXY,
    mountHotPath: hotPath(hotPathGuards({ redis: deps.redis, tokens, config, blocks: accountBlocks }), {
      placeBid: placeBidRoute(auctions),
      claimUnits: claimUnitsRoute(sales, challenges),
    }),
    routers: [
      // Rate limits and stream caps, ahead of the routes they guard (api/security/guards.ts).
      securityGuards({ redis: deps.redis, tickets, tokens, config }),
      // What a blocked account may not do (bids and claims are refused on the hot path itself).
      blockedAccountGuards(accountBlocks, requireUser(tokens)),
      auctionRoutes(
        auctions,
        hub,
        requireUser(tokens),
        optionalUser(tokens),
        config.SSE_HEARTBEAT_MS,
        imagesOf,
        (auctionId) => watchersOf(deps.database.db, auctionId),
      ),
      saleRoutes(sales, {
        requireUser: requireUser(tokens),
        challenges,
        minHoldSeconds: config.SALES_MIN_HOLD_SECONDS,
        feed: new CoalescedSaleEvents(hub),
        sseHeartbeatMs: config.SSE_HEARTBEAT_MS,
      }),
      imageRoutes(images, requireUser(tokens)),
      relistRoutes({ auctions, storage: deps.imageStorage }, requireUser(tokens)),
      settlementRoutes(
        {
          db: deps.database.db,
          temporal: deps.temporal,
          stripe: createStripe(config),
          webhookSecret: config.STRIPE_WEBHOOK_SECRET,
          sellerFeeBps: config.SELLER_FEE_BPS,
          publicUrl: config.PUBLIC_URL,
          minWindowSeconds: config.SETTLEMENT_MIN_WINDOW_SECONDS,
        },
        requireUser(tokens),
      ),
      notificationRoutes(auctions, requireUser(tokens)),
      accountRoutes({ db: deps.database.db, tokens, sessions, adminEmails }),
      sessionRoutes({ db: deps.database.db, sessions }),
      webhookRoutes(
        {
          db: deps.database.db,
          allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
          maxPerUser: config.WEBHOOKS_PER_USER,
        },
        requireUser(tokens),
      ),
      accountDeletionRoutes(tokens, {
        db: deps.database.db,
        revocations,
        auctions,
        accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        logger,
      }),
      ssoRoutes({
        providers: new SsoProviders(config.OIDC_PROVIDERS),
        attempts: new SsoAttempts(deps.redis, config.SSO_ATTEMPT_TTL_SECONDS),
        cliCodes: new SsoCliCodes(deps.redis),
        attemptTtlSeconds: config.SSO_ATTEMPT_TTL_SECONDS,
        link: { db: deps.database.db, refreshTokens, revocations },
        sessions,
        logger,
      }),
      inboxRoutes(
        {
          db: deps.database.db,
          hub,
          tickets,
          sseHeartbeatMs: config.SSE_HEARTBEAT_MS,
          linkSecret: config.NOTIFICATION_LINK_SECRET ?? DEVELOPMENT_LINK_SECRET,
        },
        requireUser(tokens),
      ),
      adminRoutes(
        { db: deps.database.db, blocks: accountBlocks, adminEmails, auctions, sales },
        requireAdmin({ db: deps.database.db, tokens, adminEmails }),
      ),
      openApiRoutes(buildOpenApiDocument()),
      // Last: the app's pages answer only what no API route did.
      ...[
        webAppRoutes({
          dir: config.WEB_APP_DIR ?? defaultWebAppDir,
          imageOrigins: [new URL(publicBaseUrl(config)).origin],
        }),
      ].filter((router) => router !== null),
    ],
  });
  const stop = () => {
    revocations.stop();
    biddingBlocks.stop();
    accountBlocks.stop();
  };
  return { app, hub, lifecycle, discovery, metrics, stop };
}
