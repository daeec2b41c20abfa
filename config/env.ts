/**
 * The one place that reads process.env (lint forbids it elsewhere). Parsed once with zod;
 * a bad value stops the process with a message naming the variable.
 */
import { createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { MAX_BUYERS_PREMIUM_BPS, MAX_SELLER_FEE_BPS } from '../domain/settlement/amounts.js';
import { SALE_LIMITS } from '../domain/sales/sale.js';
import { AUCTION_TASK_QUEUE } from '../domain/temporal-names.js';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const hostPort = z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port');

/** `host:port,host:port,...`: the seed nodes of a Redis Cluster (any of them; the client finds the rest). */
const clusterNodes = z
  .string()
  .regex(/^\s*[^:\s,]+:\d+\s*(,\s*[^:\s,]+:\d+\s*)*$/, 'expected host:port,host:port,...')
  .transform((list) =>
    list.split(',').map((node) => {
      const [host, port] = node.trim().split(':');
      return { host: host!, port: Number(port) };
    }),
  );

/**
 * The access-token signing key: PEM PKCS#8, EC P-256 (ES256). Env files and container settings often
 * hold one line only, so a literal `\n` stands for a line break. Checked here so a wrong key stops the
 * process at start, not at the first sign-in; the message never repeats the key.
 */
const es256PrivateKeyPem = z
  .string()
  .transform((value) => value.replace(/\\n/g, '\n').trim())
  .refine(isEs256PrivateKeyPem, 'expected a PEM PKCS#8 P-256 (ES256) private key (see .env.example)');

function isEs256PrivateKeyPem(pem: string): boolean {
  if (!pem.startsWith('-----BEGIN PRIVATE KEY-----')) return false; // PKCS#8, not SEC1 "EC PRIVATE KEY"
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  } catch {
    return false;
  }
}

/** A request budget per client: `points` requests per fixed window of `durationSeconds`. */
export interface RateLimitSpec {
  points: number;
  durationSeconds: number;
}

const WINDOW_UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** `<requests>/<window>` such as `30/10s`, `10/15m` or `20/1h`; `off` turns the limit off (null). */
const rateLimit = z
  .string()
  .trim()
  .transform((value, ctx): RateLimitSpec | null => {
    if (value === 'off') return null;
    const match = /^(\d{1,9})\/(\d{1,6})([smh])$/.exec(value);
    const points = Number(match?.[1]);
    const durationSeconds = Number(match?.[2]) * (WINDOW_UNIT_SECONDS[match?.[3] ?? ''] ?? NaN);
    if (!match || points < 1 || durationSeconds < 1) {
      ctx.addIssue({ code: 'custom', message: 'expected <requests>/<window> such as 30/10s, 10/15m or 20/1h, or off' });
      return z.NEVER;
    }
    return { points, durationSeconds };
  });

// --- Images: value types ---
/** `true`/`false` (or 1/0), as env files write flags. */
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** S3's bucket naming rules (3-63 characters: lowercase letters, digits, dots and hyphens). */
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name');

/** An http(s) URL without a trailing slash, so a key can be appended with one. */
const baseUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));

const MIB = 1024 * 1024;

const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Express's `trust proxy`: whose X-Forwarded-For to believe for the client's address (the key of every
 * per-IP limit). `off` (the socket's peer is the client), a number of proxy hops, or a comma-separated
 * list of proxy addresses, subnets and express's names (loopback, linklocal, uniquelocal). Not `true`:
 * that believes the left-most entry, which any client writes itself, and so defeats per-IP limits.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): false | number | string => {
    if (value === 'off' || value === 'false') return false;
    if (/^\d{1,2}$/.test(value)) return Number(value);
    const parts = value.split(',').map((part) => part.trim());
    const valid = (part: string) => {
      const [address = '', prefix, ...rest] = part.split('/');
      if (TRUST_PROXY_NAMES.has(part)) return true;
      const version = isIP(address);
      const maxPrefix = version === 6 ? 128 : 32;
      return version !== 0 && rest.length === 0 && (prefix === undefined || Number(prefix) <= maxPrefix);
    };
    if (parts.every(valid)) return parts.join(',');
    ctx.addIssue({
      code: 'custom',
      message:
        'expected off, a hop count, or proxy addresses/subnets/loopback (true is refused: clients could choose their IP)',
    });
    return z.NEVER;
  });

// --- Moderation: value types ---
/**
 * `ada@example.com,ops@example.com`: the accounts that are admins whatever their stored role, compared
 * case-insensitively (domain/moderation/roles.ts). Blanks around commas, and empty entries, are ignored.
 */
const emailList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .filter((part) => part !== ''),
  )
  .pipe(z.array(z.string().regex(/^[^\s@,]+@[^\s@,]+$/, 'expected email addresses separated by commas')));

// --- Webhooks: value types ---
const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * `5s,5m,30m,2h`: the waits between a webhook delivery's attempts, in order; the last repeats until the
 * retry period is over. Units ms, s, m, h; each at least 1 ms and at most a day.
 */
const retrySchedule = z
  .string()
  .trim()
  .transform((value, ctx): number[] => {
    const steps = value.split(',').map((part) => {
      const match = /^(\d{1,9})(ms|s|m|h)$/.exec(part.trim());
      return match ? Number(match[1]) * DURATION_UNIT_MS[match[2]!]! : NaN;
    });
    if (steps.every((ms) => ms >= 1 && ms <= 24 * 3_600_000)) return steps;
    ctx.addIssue({
      code: 'custom',
      message: 'expected durations such as 5s,5m,30m,2h (units ms, s, m, h; at most 24h each)',
    });
    return z.NEVER;
  });

// --- Payments: Stripe (config/stripe.ts) ---

/**
 * The key `npm start` and `npm test` give the API and worker: stripe-mock accepts any test-mode key of
 * three underscore-separated parts (sk_test_<anything without _>). Refused in production.
 */
export const DEVELOPMENT_STRIPE_SECRET_KEY = 'sk_test_GavelLocalDevelopmentOnly';
/** The webhook signing secret of local runs and tests (they sign their own events). Refused in production. */
export const DEVELOPMENT_STRIPE_WEBHOOK_SECRET = 'whsec_GavelLocalDevelopmentOnly';

/**
 * A secret key (sk_live_…, sk_test_…) or a restricted key (rk_live_…, rk_test_…), which Stripe advises
 * for servers: it can do only what it was granted. The message never repeats the value.
 */
const stripeSecretKey = z
  .string()
  .trim()
  .regex(
    /^[sr]k_(live|test)_[A-Za-z0-9_]+$/,
    'expected a Stripe secret key (sk_live_…, sk_test_…) or restricted key (rk_live_…, rk_test_…), not a publishable one (pk_…)',
  );

/** The webhook endpoint's signing secret, as Stripe shows it (the Dashboard, or `stripe listen`). */
const stripeWebhookSecret = z
  .string()
  .trim()
  .regex(/^whsec_[A-Za-z0-9_+/=]+$/, "expected a webhook endpoint's signing secret (whsec_…)");

/** Where the Stripe SDK sends its requests, split as it takes them (`host`, `port`, `protocol`). */
export interface StripeApiAddress {
  protocol: 'http' | 'https';
  host: string;
  port: number;
}

/**
 * `scheme://host[:port]`: another address for Stripe's API (stripe-mock locally; a forward proxy).
 * The SDK has no base path, so a path, query or credentials are refused rather than dropped.
 */
const stripeApiUrl = z.url({ protocol: /^https?$/ }).transform((value, ctx): StripeApiAddress => {
  const url = new URL(value);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    ctx.addIssue({ code: 'custom', message: 'expected scheme://host[:port], without a path, query or credentials' });
    return z.NEVER;
  }
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  return {
    protocol,
    // [::1] in a URL, ::1 for node:http.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : protocol === 'https' ? 443 : 80,
  };
});

// --- Flash sales ---

/** The challenge key of local runs and tests: public (this file), so never one for production. */
export const DEVELOPMENT_ALTCHA_HMAC_KEY = 'gavel-local-development-altcha-key-not-secret';

// --- Sign-in with SSO, refresh tokens ---

/** A provider's id is a path segment (/v1/auth/sso/<id>/start) and part of a cookie path: kept plain. */
export const SSO_PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on this machine only (a provider started by the tests, or one on a developer's laptop). */
const httpsUrl = z.url().refine((value) => {
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}, 'must be an https URL (http only for localhost, 127.0.0.1 or [::1])');

/** A scope token as RFC 6749 §3.3 allows them. */
const scopeToken = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'not a valid scope');

export const oidcProviderSchema = z
  .object({
    id: z.string().regex(SSO_PROVIDER_ID, 'expected lowercase letters, digits and -, at most 32'),
    /** For people (a sign-in button); defaults to the id. */
    name: z.string().trim().min(1).max(80).optional(),
    /** Discovery reads <issuer>/.well-known/openid-configuration, and the ID token's iss must equal it. */
    issuer: httpsUrl,
    clientId: z.string().min(1).max(512),
    /** Absent for a public client (PKCE alone proves the code is ours). */
    clientSecret: z.string().min(1).max(1024).optional(),
    scopes: z
      .array(scopeToken)
      .min(1)
      .default(['openid', 'email', 'profile'])
      .refine((scopes) => scopes.includes('openid'), 'must include openid'),
    /** Registered at the provider: /v1/auth/sso/<id>/callback on this API, or a page of yours that forwards there. */
    redirectUri: httpsUrl,
    /**
     * The claim that must be `true` for the email to count as verified (linking and new accounts need
     * it). Microsoft Entra ID sends no `email_verified`; its optional claim `xms_edov` ("email domain
     * owner verified") says the same, once added in the app registration. docs/decisions.md.
     */
    emailVerifiedClaim: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'expected a claim name')
      .default('email_verified'),
  })
  .strict();
export type OidcProviderConfig = z.infer<typeof oidcProviderSchema>;

/** OIDC_PROVIDERS: a JSON array of providers (see .env.example). The message never repeats a value (secrets). */
const oidcProviders = z
  .string()
  .transform((value, ctx): unknown => {
    try {
      return JSON.parse(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON array of providers (see .env.example)' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(oidcProviderSchema)
      .refine((list) => new Set(list.map((p) => p.id)).size === list.length, 'provider ids must be unique'),
  );

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  /** When set, /metrics is served on this port alone (the API's and the worker's), so whatever routes PORT never exposes it. */
  METRICS_PORT: port.optional(),
  /**
   * Tracing (tracing/start.ts) is on only when this is set: spans go to this OTLP/HTTP endpoint
   * (`/v1/traces` is appended). The OpenTelemetry SDK itself reads it and the three below.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** `key=value,...` sent with every export (a vendor's API key, so a secret). */
  OTEL_EXPORTER_OTLP_HEADERS: z.string().min(1).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** `key=value,...` on every span of the process (service.namespace, deployment.environment, ...). */
  OTEL_RESOURCE_ATTRIBUTES: z.string().min(1).optional(),
  OTEL_TRACES_SAMPLER: z
    .enum([
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ])
    .optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  /**
   * API processes on one machine (node:cluster, api/cluster.ts): more than 1 forks that many, sharing
   * PORT, to use more than one core. 1 runs the API in this process, as in a container scaled by replicas.
   */
  API_PROCESSES: positiveInt.max(64).default(1),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://gavel:gavel@127.0.0.1:5544/gavel'),
  DATABASE_POOL_MAX: positiveInt.default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6390'),
  /** When set, Redis is a Cluster reached through these seeds, and REDIS_URL is not used (config/redis.ts). */
  REDIS_CLUSTER_NODES: clusterNodes.optional(),
  /** A Cluster's ACL user and password (AUTH on every node), and TLS to its nodes: what managed clusters ask. */
  REDIS_CLUSTER_USERNAME: z.string().min(1).optional(),
  REDIS_CLUSTER_PASSWORD: z.string().min(1).optional(),
  REDIS_CLUSTER_TLS: flag.default(false),
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(AUCTION_TASK_QUEUE),
  /** TLS to the frontend; implied by a client certificate or an API key (config/temporal-connection.ts). */
  TEMPORAL_TLS: flag.default(false),
  /** mTLS (Temporal Cloud, or a self-hosted cluster that asks for client certificates): PEM files, both or neither. */
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  /** A private CA's certificate (PEM file); unset, the system's roots. */
  TEMPORAL_TLS_CA_PATH: z.string().min(1).optional(),
  /** The name the server's certificate must carry when it differs from TEMPORAL_ADDRESS's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** A Temporal Cloud API key (instead of a client certificate). */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /** A prebuilt workflow bundle; production defaults to npm run build's (worker/workflow-source.ts). */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  READINESS_TIMEOUT_MS: positiveInt.default(2000),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10000),
  /** SSE comment lines keep idle streams open through proxies that cut silent connections. */
  SSE_HEARTBEAT_MS: positiveInt.default(15000),
  JWT_PRIVATE_KEY: es256PrivateKeyPem.optional(),
  /** Defaults to the key's JWK thumbprint (RFC 7638), so the kid changes whenever the key does. */
  JWT_KEY_ID: z.string().min(1).max(128).optional(),
  JWT_ISSUER: z.string().min(1).default('gavel'),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(900),
  TRUST_PROXY: trustProxy.default(false),
  // Production defaults, argued in docs/decisions.md ("Security"). The tests and benches, which
  // drive thousands of requests from 127.0.0.1 with a few accounts, set their own (scripts/stack/cli.ts).
  /** A bidder in a bid war bids a few times a second for a few seconds. */
  RATE_LIMIT_BIDS_PER_USER: rateLimit.default({ points: 30, durationSeconds: 10 }),
  /** A whole office behind one NAT address shares this. */
  RATE_LIMIT_BIDS_PER_IP: rateLimit.default({ points: 300, durationSeconds: 10 }),
  /** Every attempt costs a scrypt hash; several hundred people behind one address re-sign in every 15 minutes. */
  RATE_LIMIT_SIGN_INS_PER_IP: rateLimit.default({ points: 60, durationSeconds: 60 }),
  /** Password guesses against one account; a successful sign-in clears its count. */
  RATE_LIMIT_SIGN_INS_PER_ACCOUNT: rateLimit.default({ points: 10, durationSeconds: 900 }),
  RATE_LIMIT_SIGN_UPS_PER_IP: rateLimit.default({ points: 20, durationSeconds: 3600 }),
  /** Open event streams per API process (docs/decisions.md, "Security"). */
  SSE_MAX_STREAMS_PER_IP: positiveInt.default(100),
  SSE_MAX_STREAMS_PER_USER: positiveInt.default(10),

  // --- Webhooks: users' endpoints and their delivery (api/notifications/webhooks*.ts,
  // activities/notifications/webhook-delivery.ts; docs/SECURITY.md, "Webhooks") ---
  /**
   * Lets webhooks reach loopback, private, link-local and other non-public addresses, and use http.
   * Off in production: a webhook URL is chosen by any user, and the worker would post wherever it points
   * (SSRF). On for tests and local development, whose receivers listen on 127.0.0.1.
   */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: flag.default(false),
  /** One attempt, from connecting to the answer's status and first bytes; a receiver slower than this is retried. */
  WEBHOOK_TIMEOUT_MS: positiveInt.max(120_000).default(10_000),
  /** The waits between attempts (Standard Webhooks' example schedule), each with ±20% jitter; the last repeats. */
  WEBHOOK_RETRY_SCHEDULE: retrySchedule.default(
    [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000].map((s) => s * 1000),
  ),
  /** A delivery not answered 2xx this long after it was created is given up (its failedAt set). */
  WEBHOOK_RETRY_PERIOD_SECONDS: positiveInt.default(24 * 3600),
  /** Attempts in flight at once per worker process: a slow receiver holds one of them, not the queue. */
  WEBHOOK_CONCURRENCY: positiveInt.max(256).default(8),
  /** Webhooks one user may have at once (deleted ones do not count). */
  WEBHOOKS_PER_USER: positiveInt.max(1000).default(10),

  // --- Images: auction images in S3 (api/images/; docs/decisions.md, "Images") ---
  /** Unset: AWS S3 itself. Set for Cloudflare R2, MinIO and other S3-compatible stores. */
  S3_ENDPOINT: baseUrl.optional(),
  /** Cloudflare R2 wants `auto`. */
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: bucketName.default('gavel-images'),
  /** Both or neither; unset, the AWS SDK's own chain (AWS_* variables, a role, a profile) supplies them. */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Buckets as paths (endpoint/bucket/key) instead of subdomains (bucket.endpoint/key): MinIO wants it. */
  S3_FORCE_PATH_STYLE: flag.default(false),
  /**
   * Where clients fetch images: the bucket's public address (a CDN, a custom domain, R2's r2.dev URL),
   * the object key appended. Unset: the bucket's own address at S3_ENDPOINT (or at AWS).
   */
  S3_PUBLIC_BASE_URL: baseUrl.optional(),
  /**
   * Larger uploads are refused with 413 while they stream in. At most 1 GiB (an integer column); at
   * least 64 KiB, well above the 4,100 bytes the type sniff reads (api/images/receive.ts relies on it).
   */
  IMAGE_MAX_BYTES: positiveInt
    .min(64 * 1024)
    .max(1024 * MIB)
    .default(10 * MIB),
  IMAGES_PER_AUCTION: positiveInt.max(1000).default(10),
  /** Where uploads are written while they are checked, before they go to S3 (deleted at once). Unset: the OS's. */
  IMAGE_UPLOAD_DIR: z.string().min(1).optional(),
  /** Upload attempts per seller: each costs bandwidth, a temporary file and a sniff. */
  IMAGE_UPLOADS_PER_USER: rateLimit.default({ points: 2, durationSeconds: 3600 }),

  // --- Sign-in with SSO, refresh tokens; argued in docs/decisions.md ("Sign-in with SSO") ---
  /** The OpenID Connect providers users may sign in with; none by default. */
  OIDC_PROVIDERS: oidcProviders.default([]),
  /** How long a started SSO sign-in may take at the provider (typing a password, MFA) before its state expires. */
  SSO_ATTEMPT_TTL_SECONDS: positiveInt.max(3600).default(600),
  /** A refresh token's life; each refresh hands out a new one with a fresh life. */
  REFRESH_TOKEN_TTL_SECONDS: positiveInt.default(30 * 24 * 3600),
  /** GET /v1/auth/sso/:provider/start, /callback and POST /v1/auth/sso/token, per address: each start stores a state in Redis. */
  RATE_LIMIT_SSO_PER_IP: rateLimit.default({ points: 30, durationSeconds: 60 }),
  /** POST /v1/auth/refresh and /v1/auth/logout, per address: an office refreshing every 15 minutes stays far below. */
  RATE_LIMIT_REFRESH_PER_IP: rateLimit.default({ points: 60, durationSeconds: 60 }),

  // --- Discovery: the listing read model (api/discovery/, docs/decisions.md "Discovery") ---
  /** How often each API process re-reads the live auctions from Postgres, repairing what a lost note left wrong. */
  DISCOVERY_RECONCILE_SECONDS: positiveInt.default(30),
  /**
   * GET /v1/auctions with `q`, per address: each search is a Postgres full-text query (~1,500 a second
   * on the development machine), where a listing without `q` is served from memory and not limited.
   */
  RATE_LIMIT_SEARCHES_PER_IP: rateLimit.default({ points: 120, durationSeconds: 60 }),
  /** How long a listing cursor stays valid; the read model keeps each auction's recent states this long. */
  DISCOVERY_CURSOR_TTL_SECONDS: positiveInt.default(900),
  /**
   * How many days a closed or cancelled auction stays in listings and searches after its end; after
   * that only its own page shows it, and the read model lets it go (api/discovery/retention.ts).
   */
  DISCOVERY_ENDED_LISTED_DAYS: positiveInt.max(3650).default(30),
  /** A full-text search matching more auctions than this answers 400 SEARCH_TOO_BROAD (matches are sorted in memory). */
  DISCOVERY_SEARCH_MAX_MATCHES: positiveInt.default(10_000),
  // --- end Discovery ---

  // --- Notifications: email, links (activities/notifications/, docs/notifications.md) ---
  /** Where notification mail is handed over: any SMTP server; `npm start` runs Mailpit on 1025. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().min(3).default('Gavel <notifications@gavel.localhost>'),
  /** Mail handed to the SMTP server per second (nodemailer's pool pacing); one dispatcher sends it all. */
  EMAIL_RATE_PER_SECOND: positiveInt.max(10_000).default(20),
  /** A failed send is retried after 1 s, 2 s, 4 s, … up to this; mail waits, it is never dropped. */
  EMAIL_RETRY_MAX_SECONDS: positiveInt.default(300),
  /** The built web app the API serves at / (api/web-app.ts). Unset: web/dist beside the code. */
  WEB_APP_DIR: z.string().min(1).optional(),
  /** The API's address as its users reach it: the links in mail (auction, one-click unsubscribe). */
  PUBLIC_URL: baseUrl.default('http://localhost:3000'),
  /**
   * Signs the unsubscribe links in mail (HS256; at least 32 characters). Required in production;
   * development and tests use a fixed one, so links keep working across restarts.
   */
  NOTIFICATION_LINK_SECRET: z.string().min(32).optional(),
  /**
   * Outbid notifications, derived by the worker's persist cycle. An operator's switch (and the bench's
   * way to measure what they cost); every other notification follows the auction workflow.
   */
  OUTBID_NOTIFICATIONS: flag.default(true),
  // --- Settlement (docs/settlement.md) ---
  /** A sold auction's payment window when its seller set none: 3 days. */
  SETTLEMENT_PAYMENT_WINDOW_SECONDS: positiveInt.default(259_200),
  /** The shortest payment or offer window anyone may set; tests and local runs lower it. */
  SETTLEMENT_MIN_WINDOW_SECONDS: positiveInt.default(3600),
  /** The buyer's premium when the seller set none, in basis points (0-5000). */
  BUYERS_PREMIUM_BPS: z.coerce.number().int().min(0).max(MAX_BUYERS_PREMIUM_BPS).default(0),
  /** The house's fee on the hammer price, kept from the seller's payout, in basis points. */
  SELLER_FEE_BPS: z.coerce.number().int().min(0).max(MAX_SELLER_FEE_BPS).default(1000),
  /** This many unpaid orders within UNPAID_STRIKE_WINDOW_DAYS and the buyer may not bid. */
  UNPAID_STRIKES_TO_BLOCK: positiveInt.default(2),
  UNPAID_STRIKE_WINDOW_DAYS: positiveInt.default(90),
  /** A user who retracted more than this many times in the last 6 months may not retract again. */
  RETRACTIONS_TO_BLOCK: z.coerce.number().int().min(0).default(3),
  /** How long a second-chance offer stays open when the seller does not say: 48 h. */
  SECOND_CHANCE_OFFER_WINDOW_SECONDS: positiveInt.default(172_800),
  /** How long after an unpaid order (or an unanswered offer) the seller may still offer the lot: 30 days. */
  SECOND_CHANCE_DECISION_SECONDS: positiveInt.default(2_592_000),

  // --- Payments: Stripe (config/stripe.ts, docs/configuration.md "Payments") ---
  /** The API key the SDK sends. Development and tests: a test-mode key for stripe-mock; refused in production. */
  STRIPE_SECRET_KEY: stripeSecretKey.default(DEVELOPMENT_STRIPE_SECRET_KEY),
  /** Checks the `Stripe-Signature` of incoming webhook events. Development and tests: a fixed one; refused in production. */
  STRIPE_WEBHOOK_SECRET: stripeWebhookSecret.default(DEVELOPMENT_STRIPE_WEBHOOK_SECRET),
  /** Unset: Stripe itself (https://api.stripe.com). `npm start` and `npm test` point it at their stripe-mock. */
  STRIPE_API_URL: stripeApiUrl.optional(),

  // --- Moderation (api/admin/, docs/api.md "Moderation") ---
  /** Accounts with these emails are admins, checked at each request (so also accounts made after start). */
  ADMIN_EMAILS: emailList.default([]),

  // --- Flash sales (api/sales/, docs/sales.md) ---
  /** The shortest hold a seller may set, in seconds; production would raise it (a hold is a payment window). */
  SALES_MIN_HOLD_SECONDS: positiveInt.max(SALE_LIMITS.maxHoldSeconds).default(60),
  /** Claims per signed-in user: a buyer retries a few times in the first seconds of a sale. */
  RATE_LIMIT_CLAIMS_PER_USER: rateLimit.default({ points: 30, durationSeconds: 10 }),
  /** Claims per client address; a whole office behind one NAT address shares this. */
  RATE_LIMIT_CLAIMS_PER_IP: rateLimit.default({ points: 300, durationSeconds: 10 }),
  /**
   * Signs the anti-bot challenges of sales that ask for one (ALTCHA, HMAC-SHA-256; at least 32
   * characters). Every API process must share it. Unset: a public development key, which production
   * refuses (anyone could mint solutions with it).
   */
  ALTCHA_HMAC_KEY: z.string().min(32).default(DEVELOPMENT_ALTCHA_HMAC_KEY),
  /** A challenge's difficulty: the solver tries up to this many numbers (about half on average). */
  SALE_CHALLENGE_MAX_NUMBER: positiveInt.min(1_000).max(10_000_000).default(100_000),
  /** How long a challenge may be solved and used, in seconds. */
  SALE_CHALLENGE_TTL_SECONDS: positiveInt.min(10).max(3600).default(300),
});

/** Both sign or check unsubscribe links: in production, every replica must share the secret. */
const linkSecretRule: Parameters<typeof envSchema.refine> = [
  (env) => env.NODE_ENV !== 'production' || env.NOTIFICATION_LINK_SECRET !== undefined,
  {
    path: ['NOTIFICATION_LINK_SECRET'],
    message: 'required in production (see .env.example)',
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  },
];

// Payments: a deployment brings its own Stripe key and signing secret. Each has a development default,
// so local runs need no setup; those are public (docs, .env.example), so production refuses them, and
// refuses plain http to Stripe's API (the key goes with every request). For the API and the worker.
const stripeKeyRule: Parameters<typeof envSchema.refine> = [
  (env) => env.NODE_ENV !== 'production' || env.STRIPE_SECRET_KEY !== DEVELOPMENT_STRIPE_SECRET_KEY,
  {
    path: ['STRIPE_SECRET_KEY'],
    message: "required in production: your Stripe account's secret or restricted key, not the development one",
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  },
];
const stripeWebhookSecretRule: Parameters<typeof envSchema.refine> = [
  (env) => env.NODE_ENV !== 'production' || env.STRIPE_WEBHOOK_SECRET !== DEVELOPMENT_STRIPE_WEBHOOK_SECRET,
  {
    path: ['STRIPE_WEBHOOK_SECRET'],
    message: "required in production: your webhook endpoint's signing secret, not the development one",
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  },
];
const stripeApiUrlRule: Parameters<typeof envSchema.refine> = [
  (env) => env.NODE_ENV !== 'production' || env.STRIPE_API_URL?.protocol !== 'http',
  {
    path: ['STRIPE_API_URL'],
    message: 'must be https in production (the secret key goes with every request)',
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  },
];

// The development challenge key is in this file: with it anyone could sign their own challenges and skip
// the work. Only the API signs or checks them.
const altchaKeyRule: Parameters<typeof envSchema.refine> = [
  (env) => env.NODE_ENV !== 'production' || env.ALTCHA_HMAC_KEY !== DEVELOPMENT_ALTCHA_HMAC_KEY,
  {
    path: ['ALTCHA_HMAC_KEY'],
    message: 'required in production: 32+ random characters, the same in every API process (see .env.example)',
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  },
];

/**
 * With several API processes, a scrape of PORT would reach one of them at random; their metrics are
 * summed by the cluster's primary and served on METRICS_PORT alone (api/cluster.ts).
 */
const clusterMetricsRule: Parameters<typeof envSchema.refine> = [
  (env) => env.API_PROCESSES === 1 || env.METRICS_PORT !== undefined,
  {
    path: ['METRICS_PORT'],
    message: "required when API_PROCESSES is above 1: the processes' metrics are summed and served there",
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  },
];

/** Half a client certificate would connect without one and fail at the first call, far from the cause. */
const temporalCertPairRule: Parameters<typeof envSchema.refine> = [
  (env) => (env.TEMPORAL_TLS_CERT_PATH === undefined) === (env.TEMPORAL_TLS_KEY_PATH === undefined),
  {
    path: ['TEMPORAL_TLS_KEY_PATH'],
    message: 'set both TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH, or neither',
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  },
];

const workerConfigSchema = envSchema
  .refine(...linkSecretRule)
  .refine(...stripeKeyRule)
  .refine(...stripeWebhookSecretRule)
  .refine(...stripeApiUrlRule)
  .refine(...temporalCertPairRule);

/**
 * The API signs access tokens, so in production it needs a configured key; the worker and tools sign
 * nothing and start without one.
 */
const apiConfigSchema = envSchema
  .refine(
    // Without a configured key each process signs with a key of its own that dies with it: fine for
    // development, but in production tokens would break on every restart and between replicas.
    (env) => env.NODE_ENV !== 'production' || env.JWT_PRIVATE_KEY !== undefined,
    {
      path: ['JWT_PRIVATE_KEY'],
      message: 'required in production (see .env.example)',
      // Checked even when other variables are bad too, so one run names every problem.
      when: (payload) => typeof payload.value === 'object' && payload.value !== null,
    },
  )
  .refine(
    // Images: half a key pair would silently fall back to the SDK's own credentials.
    (env) => (env.S3_ACCESS_KEY_ID === undefined) === (env.S3_SECRET_ACCESS_KEY === undefined),
    {
      path: ['S3_SECRET_ACCESS_KEY'],
      message: 'set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither',
      when: (payload) => typeof payload.value === 'object' && payload.value !== null,
    },
  )
  .refine(...linkSecretRule)
  .refine(...stripeKeyRule)
  .refine(...stripeWebhookSecretRule)
  .refine(...stripeApiUrlRule)
  .refine(...altchaKeyRule)
  .refine(...clusterMetricsRule)
  .refine(...temporalCertPairRule);

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment; throws ConfigError naming every bad variable. */
/** Which process reads the config: each may have rules of its own on top of every variable's. */
export type ProcessRole = 'api' | 'worker' | 'tool';

export function parseConfig(env: Record<string, string | undefined>, role: ProcessRole = 'tool'): Config {
  // An empty string means "unset" (as in `PORT= npm start`), so defaults still apply.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const schema = role === 'api' ? apiConfigSchema : role === 'worker' ? workerConfigSchema : envSchema;
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
}

/** The process's config; exits with the message on bad config (call from entry points only). */
export function loadConfig(role: ProcessRole): Config {
  try {
    return parseConfig(process.env, role);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
