/** Static checks of temporal-compose.yml and the Dockerfile it builds: no Docker engine needed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { generateKeyPairSync } from 'node:crypto';
import { envSchema, parseConfig } from '../config/env.js';
import { SEARCH_ATTRIBUTES } from '../domain/temporal-names.js';

type Scalar = string | number | boolean | null;
type Build = string | { context?: string; dockerfile?: string; target?: string };
type Service = {
  image?: string;
  build?: Build;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, Scalar> | string[];
  ports?: (string | number | { published?: string | number; target: number })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: (string | { type?: string; source?: string; target: string })[];
  healthcheck?: { test: string | string[] };
  restart?: string;
};
type ComposeFile = { services: Record<string, Service>; volumes?: Record<string, unknown> };

const root = fileURLToPath(new URL('..', import.meta.url));
const composeText = readFileSync(join(root, 'temporal-compose.yml'), 'utf8');
const compose = parse(composeText) as ComposeFile & Record<string, unknown>;
const services = compose.services;

const APP_SERVICES = ['api', 'worker'];
const POSTGRES = 'postgresql';
const REDIS = 'redis';
const TEMPORAL = 'temporal';
const NAMESPACE_JOB = 'temporal-create-namespace';

function service(name: string): Service {
  const found = services[name];
  assert.ok(found, `service ${name} is defined`);
  return found;
}

/** "KEY=value" → ["KEY", "value"] */
function splitPair(text: string): [string, string] {
  const at = text.indexOf('=');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function envOf(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  const entries: [string, string][] = Array.isArray(env)
    ? env.map(splitPair)
    : Object.entries(env).map(([key, value]) => [key, String(value ?? '')]);
  return Object.fromEntries(entries);
}

/** `${VAR:?message}`: compose takes the value from the user's environment and stops when it is unset. */
const USER_SUPPLIED = /^\$\{[A-Z0-9_]+:\?[^}]+\}$/;
const USER_SUPPLIED_IN_LINE = /\$\{[A-Z0-9_]+:\?[^}]+\}/g;

/** Stands in for what a user would export, so the rest of the environment can be parsed for real. */
function withUserSupplied(env: Record<string, string>): Record<string, string> {
  const sample = (key: string) =>
    key === 'JWT_PRIVATE_KEY'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString()
      : key === 'NOTIFICATION_LINK_SECRET' || key === 'ALTCHA_HMAC_KEY'
        ? 'user-supplied-secret-of-at-least-thirty-two-characters'
        : key === 'STRIPE_SECRET_KEY'
          ? 'sk_test_UserSupplied'
          : key === 'STRIPE_WEBHOOK_SECRET'
            ? 'whsec_UserSupplied'
            : 'user-supplied';
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, USER_SUPPLIED.test(value) ? sample(key) : value]),
  );
}

function envVar(name: string, key: string): string {
  const value = envOf(name)[key];
  assert.ok(value !== undefined, `${name} sets ${key}`);
  return value;
}

function hasHealthcheck(name: string): boolean {
  const probe = joined(service(name).healthcheck?.test);
  return probe !== '' && probe !== 'NONE';
}

function dependencies(name: string): Record<string, string> {
  const deps = service(name).depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((dep) => [dep, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([dep, spec]) => [dep, spec.condition ?? 'service_started']));
}

/** Published ports as host → container, from short ("8233:8080", "127.0.0.1:80:80") or long syntax. */
function publishedPorts(name: string): Map<number, number> {
  const ports = new Map<number, number>();
  for (const port of service(name).ports ?? []) {
    if (typeof port === 'object') ports.set(Number(port.published ?? port.target), port.target);
    else {
      const [mapping = ''] = String(port).split('/');
      const parts = mapping.split(':');
      if (parts.length > 1) ports.set(Number(parts.at(-2)), Number(parts.at(-1)));
    }
  }
  return ports;
}

function joined(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}

function volumeMounts(name: string): { source: string; target: string }[] {
  return (service(name).volumes ?? []).map((volume) => {
    if (typeof volume === 'object') return { source: volume.source ?? '', target: volume.target };
    const [source = '', target] = volume.split(':');
    return target === undefined ? { source: '', target: source } : { source, target };
  });
}

const isBindMount = (source: string): boolean => /^[./~]/.test(source);

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (state.get(node) === 'visiting') return [...path, node];
    if (state.get(node) === 'done') return undefined;
    state.set(node, 'visiting');
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...path, node]);
      if (cycle) return cycle;
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Dockerfile stages as their instruction lines (comments and blank lines dropped). */
function dockerStages(path: string): string[][] {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: string[][] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) stages.push([line]);
    else stages.at(-1)?.push(line);
  }
  return stages;
}

function lastUser(stage: string[]): string | undefined {
  const users = stage.filter((line) => /^USER\s/i.test(line));
  return users.at(-1)?.split(/\s+/)[1];
}

function dockerfileOf(build: Build): string {
  const spec = typeof build === 'string' ? { context: build } : build;
  return join(root, spec.context ?? '.', spec.dockerfile ?? 'Dockerfile');
}

test('when the compose file is parsed, then it defines every service of the stack and no obsolete version key', () => {
  assert.equal(compose.version, undefined);
  const expected = [
    POSTGRES,
    'temporal-schema-setup',
    TEMPORAL,
    NAMESPACE_JOB,
    'temporal-ui',
    REDIS,
    'minio',
    'minio-create-bucket',
    ...APP_SERVICES,
  ];
  for (const name of expected) assert.ok(services[name], `service ${name} is defined`);
});

test('when the stack is up, then the API is on host port 3000 and the Temporal UI on host port 8233', () => {
  assert.equal(publishedPorts('api').get(3000), 3000);
  assert.equal(envOf('api').PORT, '3000');
  assert.equal(publishedPorts('temporal-ui').get(8233), 8080);
  assert.equal(envOf('temporal-ui').TEMPORAL_ADDRESS, `${TEMPORAL}:7233`);
  assert.equal(publishedPorts('worker').size, 0);
});

test('when api and worker dial TEMPORAL_ADDRESS, then it is the temporal service on its frontend port 7233', () => {
  assert.match(service(TEMPORAL).image ?? '', /^temporalio\/server:/);
  assert.equal(publishedPorts(TEMPORAL).get(7233), 7233);
  for (const name of APP_SERVICES) assert.equal(envOf(name).TEMPORAL_ADDRESS, `${TEMPORAL}:7233`, name);
});

test('when services depend on each other, then every target is defined and the graph has no cycle', () => {
  const graph = new Map(Object.keys(services).map((name) => [name, Object.keys(dependencies(name))]));
  for (const [name, targets] of graph) {
    for (const target of targets) assert.ok(services[target], `${name} depends on undefined service ${target}`);
  }
  assert.equal(findCycle(graph), undefined);
});

test('when a service waits on another, then a healthy wait has a healthcheck and a completion wait is a one-shot job', () => {
  for (const name of Object.keys(services)) {
    for (const [target, condition] of Object.entries(dependencies(name))) {
      if (condition === 'service_healthy') assert.ok(hasHealthcheck(target), `${target} has a healthcheck`);
      if (condition === 'service_completed_successfully') assert.equal(service(target).restart, undefined, target);
    }
  }
});

test('when api or worker start, then Postgres and Redis are healthy and the namespace job has completed', () => {
  for (const name of APP_SERVICES) {
    const deps = dependencies(name);
    assert.equal(deps[POSTGRES], 'service_healthy', name);
    assert.equal(deps[REDIS], 'service_healthy', name);
    assert.equal(deps[NAMESPACE_JOB], 'service_completed_successfully', name);
  }
});

test('when api and worker read their environment, then every variable is declared by config/env.ts and parses', () => {
  const declared = Object.keys(envSchema.shape);
  for (const name of APP_SERVICES) {
    const env = withUserSupplied(envOf(name));
    for (const key of Object.keys(env)) assert.ok(declared.includes(key), `${name}: ${key} is not in envSchema`);
    // The role's own rules too: in production the api refuses to start without a signing key.
    const parsed = parseConfig(env, name === 'api' ? 'api' : 'worker');
    assert.equal(new URL(parsed.DATABASE_URL).hostname, POSTGRES);
    assert.equal(new URL(parsed.REDIS_URL).hostname, REDIS);
    assert.equal(parsed.TEMPORAL_ADDRESS.split(':')[0], TEMPORAL);
    assert.equal(parsed.TEMPORAL_NAMESPACE, envOf(NAMESPACE_JOB).TEMPORAL_NAMESPACE);
  }
});

test('when Postgres first initialises, then it creates the database named in DATABASE_URL', () => {
  const database = new URL(envVar('api', 'DATABASE_URL')).pathname.slice(1);
  const init = volumeMounts(POSTGRES).find((mount) => mount.target === '/docker-entrypoint-initdb.d');
  assert.ok(init && isBindMount(init.source), 'an init folder is mounted');
  const dir = join(root, init.source);
  const sql = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n');
  assert.match(sql, new RegExp(`CREATE DATABASE ${database}\\b`, 'i'));
});

test('when Redis starts, then its command enables appendonly yes with appendfsync everysec', () => {
  const args = joined(service(REDIS).command).split(/\s+/);
  assert.equal(args[args.indexOf('--appendonly') + 1], 'yes');
  assert.equal(args[args.indexOf('--appendfsync') + 1], 'everysec');
});

test('when the namespace job runs, then it registers exactly the search attributes of domain/temporal-names.ts', () => {
  const pairs = envVar(NAMESPACE_JOB, 'SEARCH_ATTRIBUTES').split(/\s+/);
  const registered = Object.fromEntries(pairs.map(splitPair));
  const expected = Object.fromEntries(Object.values(SEARCH_ATTRIBUTES).map(({ name, type }) => [name, type]));
  assert.deepEqual(registered, expected);
  const script = joined(service(NAMESPACE_JOB).command);
  assert.match(script, /temporal operator search-attribute create/);
  assert.match(script, /for \w+ in \$\$SEARCH_ATTRIBUTES/);
});

test('when compose interpolates the file, then every dollar sign is escaped as $$ or a required variable', () => {
  const unescaped = composeText
    .split('\n')
    .filter((line) => line.replaceAll('$$', '').replace(USER_SUPPLIED_IN_LINE, '').includes('$'));
  assert.deepEqual(unescaped, []);
});

test('when the api stores images, then it uses the MinIO service, once the bucket job has made the bucket', () => {
  assert.match(service('minio').image ?? '', /^quay\.io\/minio\/minio:RELEASE\./);
  assert.ok(hasHealthcheck('minio'));
  assert.equal(dependencies('api')['minio-create-bucket'], 'service_completed_successfully');
  const api = parseConfig(withUserSupplied(envOf('api')), 'api');
  assert.equal(api.S3_ENDPOINT, 'http://minio:9000');
  assert.equal(api.S3_ACCESS_KEY_ID, envOf('minio').MINIO_ROOT_USER);
  assert.equal(api.S3_SECRET_ACCESS_KEY, envOf('minio').MINIO_ROOT_PASSWORD);
  const job = joined(service('minio-create-bucket').command);
  assert.match(job, /mc mb --ignore-existing/);
  assert.match(job, /mc anonymous set download/);
  assert.equal(envOf('minio-create-bucket').BUCKET, api.S3_BUCKET);
  // Browsers fetch images from the host: the public URL is the bucket on minio's published port.
  const published = new URL(api.S3_PUBLIC_BASE_URL ?? '');
  assert.equal(publishedPorts('minio').get(Number(published.port)), 9000);
  assert.equal(published.pathname, `/${api.S3_BUCKET}`);
});

test('when the api runs in production, then its signing key must come from the user (compose stops without it)', () => {
  assert.match(envOf('api').JWT_PRIVATE_KEY ?? '', USER_SUPPLIED);
  assert.equal(envOf('worker').JWT_PRIVATE_KEY, undefined, 'the worker signs nothing');
});

test('when the api runs in production, then its challenge key must come from the user (compose stops without it)', () => {
  assert.match(envOf('api').ALTCHA_HMAC_KEY ?? '', USER_SUPPLIED);
  assert.equal(envOf('worker').ALTCHA_HMAC_KEY, undefined, 'the worker checks no challenges');
});

test('when the api and worker run in production, then their Stripe key and signing secret come from the user, the same for both', () => {
  for (const key of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']) {
    assert.match(envOf('api')[key] ?? '', USER_SUPPLIED, key);
    assert.equal(envOf('worker')[key], envOf('api')[key], key);
  }
  // No STRIPE_API_URL: Stripe itself (production refuses http to it anyway).
  assert.equal(envOf('api').STRIPE_API_URL, undefined);
});

test('when an image is built, then its Dockerfile exists, is multi-stage and its final stage runs as a non-root user', () => {
  for (const name of APP_SERVICES) assert.ok(service(name).build, `${name} is built from the repo`);
  for (const [name, { build }] of Object.entries(services)) {
    if (build === undefined) continue;
    const dockerfile = dockerfileOf(build);
    assert.ok(existsSync(dockerfile), `${name}: ${dockerfile} exists`);
    const stages = dockerStages(dockerfile);
    assert.ok(stages.length > 1, `${name}: multi-stage`);
    const final = stages.at(-1) ?? [];
    const user = lastUser(final);
    assert.ok(user && !/^(root|0)(:|$)/.test(user), `${name}: final stage USER ${user} is not root`);
    const target = typeof build === 'object' ? build.target : undefined;
    if (target) assert.match(final[0] ?? '', new RegExp(`\\sAS\\s+${target}$`, 'i'), `${name}: builds the final stage`);
  }
});

test('when a service mounts a volume, then a named volume is declared and a bind-mounted path exists', () => {
  const declared = Object.keys(compose.volumes ?? {});
  for (const name of Object.keys(services)) {
    for (const { source } of volumeMounts(name)) {
      if (source === '') continue;
      if (isBindMount(source)) assert.ok(existsSync(join(root, source)), `${name}: ${source} exists`);
      else assert.ok(declared.includes(source), `${name}: volume ${source} is declared`);
    }
  }
});
