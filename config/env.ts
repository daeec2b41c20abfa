/**
 * The one place that reads process.env (lint forbids it elsewhere). Parsed once with zod;
 * a bad value stops the process with a message naming the variable.
 */
import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
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

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://gavel:gavel@127.0.0.1:5544/gavel'),
  DATABASE_POOL_MAX: positiveInt.default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6390'),
  /** When set, Redis is a Cluster reached through these seeds, and REDIS_URL is not used (config/redis.ts). */
  REDIS_CLUSTER_NODES: clusterNodes.optional(),
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(AUCTION_TASK_QUEUE),
  WORKFLOW_BUNDLE_PATH: z.string().min(1).default('dist/workflow-bundle.js'),
  READINESS_TIMEOUT_MS: positiveInt.default(2000),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10000),
  /** SSE comment lines keep idle streams open through proxies that cut silent connections. */
  SSE_HEARTBEAT_MS: positiveInt.default(15000),
  JWT_PRIVATE_KEY: es256PrivateKeyPem.optional(),
  /** Defaults to the key's JWK thumbprint (RFC 7638), so the kid changes whenever the key does. */
  JWT_KEY_ID: z.string().min(1).max(128).optional(),
  JWT_ISSUER: z.string().min(1).default('gavel'),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(900),
});

/**
 * The API signs access tokens, so in production it needs a configured key; the worker and tools sign
 * nothing and start without one.
 */
const apiConfigSchema = envSchema.refine(
  // Without a configured key each process signs with a key of its own that dies with it: fine for
  // development, but in production tokens would break on every restart and between replicas.
  (env) => env.NODE_ENV !== 'production' || env.JWT_PRIVATE_KEY !== undefined,
  {
    path: ['JWT_PRIVATE_KEY'],
    message: 'required in production (see .env.example)',
    // Checked even when other variables are bad too, so one run names every problem.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  },
);

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
  const result = (role === 'api' ? apiConfigSchema : envSchema).safeParse(present);
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
