/**
 * The Helm chart (deploy/helm/gavel), checked with no cluster: `helm lint --strict` and `helm template`
 * over the value sets in its ci/ folder, every rendered object decoded strictly into the Kubernetes API's
 * own types (deploy/kube-validate), and what a cluster would only show at run time checked here: the
 * environment the pods get is one the app's own config parser accepts, selectors select, probes, drain
 * and hooks are as docs/deploy.md says, and bad values fail at install. helm and kube-validate are built
 * by scripts/setup.sh into .gavel/bin.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { envSchema, parseConfig } from '../config/env.js';
import { SEARCH_ATTRIBUTES } from '../domain/temporal-names.js';
import { findObject, getObject, podSpecOf, secretValues, type KubeObject } from './helpers/kube-manifests.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const chart = path.join(root, 'deploy/helm/gavel');
const helm = path.join(root, '.gavel/bin/helm');
const kubeValidate = path.join(root, '.gavel/bin/kube-validate');
const valueSets = ['minimal', 'production', 'existing-secret'] as const;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(command: string, args: string[], input?: string): Promise<Run> {
  const child = promisify(execFile)(command, args, { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 });
  if (input !== undefined) child.child.stdin!.end(input);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** A real ES256 key for JWT_PRIVATE_KEY, so the rendered environment passes the app's own checks. */
const jwtKeyValues = (() => {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gavel-chart-')), 'jwt.yaml');
  fs.writeFileSync(file, `secrets:\n  JWT_PRIVATE_KEY: |\n${pem.toString().replace(/^/gm, '    ')}`);
  return file;
})();

const valuesArgs = (set: (typeof valueSets)[number]) => {
  const args = ['-f', path.join(chart, 'ci', `${set}.yaml`)];
  return set === 'existing-secret' ? args : [...args, '-f', jwtKeyValues];
};

async function render(args: string[]): Promise<{ result: Run; objects: KubeObject[] }> {
  const result = await run(helm, ['template', 'shop', chart, '--namespace', 'auctions', ...args]);
  const objects = parseAllDocuments(result.stdout)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
  return { result, objects };
}

interface SchemaShape {
  properties: { config: { properties: Record<string, unknown> }; secrets: { properties: Record<string, unknown> } };
}

test('when the schema is read, then every variable the app reads is a config key or a secret, never both', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(chart, 'values.schema.json'), 'utf8')) as SchemaShape;
  const config = Object.keys(schema.properties.config.properties);
  const secrets = Object.keys(schema.properties.secrets.properties);
  assert.deepEqual([...config, ...secrets].sort(), Object.keys(envSchema.shape).sort());
  assert.deepEqual(
    config.filter((name) => secrets.includes(name)),
    [],
  );
  for (const secret of ['DATABASE_URL', 'JWT_PRIVATE_KEY', 'STRIPE_SECRET_KEY', 'TEMPORAL_API_KEY', 'SMTP_URL'])
    assert.ok(secrets.includes(secret), `${secret} is a secret`);
});

test("when the chart's appVersion is read, then it is the app's version", () => {
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const chartFile = parse(fs.readFileSync(path.join(chart, 'Chart.yaml'), 'utf8')) as { appVersion: string };
  assert.equal(chartFile.appVersion, version);
});

for (const set of valueSets) {
  describe(`with the ${set} values`, () => {
    test('then helm lint --strict passes', async () => {
      const result = await run(helm, ['lint', '--strict', chart, ...valuesArgs(set)]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
    });

    test("then every rendered object decodes strictly into the Kubernetes API's types", async () => {
      const { result } = await render(valuesArgs(set));
      assert.equal(result.code, 0, result.stderr);
      const validated = await run(kubeValidate, [], result.stdout);
      assert.equal(validated.code, 0, validated.stdout + validated.stderr);
      assert.match(validated.stdout, /^\d+ objects valid$/m);
    });

    test('then the pods are non-root on a read-only root, with requests and limits, and mount only what exists', async () => {
      const { objects } = await render(valuesArgs(set));
      const pods = objects.flatMap((object) => {
        const spec = podSpecOf(object);
        return spec ? [{ name: `${object.kind} ${object.metadata.name}`, spec }] : [];
      });
      assert.equal(pods.length, 4, 'api, worker, the migration Job and the test Pod');
      const pullSecrets = (
        objects.find((object) => object.kind === 'Deployment') as {
          spec: { template: { spec: { imagePullSecrets?: unknown } } };
        }
      ).spec.template.spec.imagePullSecrets;
      for (const { name, spec } of pods) {
        assert.deepEqual(spec.imagePullSecrets, pullSecrets, `${name}: the same registry credentials`);
        assert.equal(spec.securityContext.runAsNonRoot, true, name);
        assert.equal(spec.automountServiceAccountToken, false, name);
        const volumes = new Set((spec.volumes ?? []).map((volume) => volume.name));
        for (const container of spec.containers) {
          assert.equal(container.securityContext.readOnlyRootFilesystem, true, name);
          assert.equal(container.securityContext.allowPrivilegeEscalation, false, name);
          assert.deepEqual(container.securityContext.capabilities?.drop, ['ALL'], name);
          assert.ok(container.resources.requests?.memory && container.resources.limits?.memory, `${name}: memory`);
          for (const mount of container.volumeMounts ?? [])
            assert.ok(volumes.has(mount.name), `${name}: ${mount.name} is a volume`);
        }
      }
    });

    test("then each Deployment's selector selects its pods, and the Service, HPAs and PDBs select the right ones", async () => {
      const { objects } = await render(valuesArgs(set));
      for (const component of ['api', 'worker']) {
        const deployment = getObject(objects, 'Deployment', `shop-gavel-${component}`);
        const labels = deployment.spec.template.metadata.labels as Record<string, string>;
        const selects = (selector: Record<string, string>) =>
          Object.entries(selector).every(([key, value]) => labels[key] === value);
        assert.ok(selects(deployment.spec.selector.matchLabels), component);
        assert.equal(labels['app.kubernetes.io/component'], component);
        for (const other of ['api', 'worker'].filter((name) => name !== component))
          assert.ok(!selects(getObject(objects, 'Deployment', `shop-gavel-${other}`).spec.selector.matchLabels));
        const hpa = findObject(objects, 'HorizontalPodAutoscaler', `shop-gavel-${component}`);
        if (hpa) {
          assert.equal(hpa.spec.scaleTargetRef.name, deployment.metadata.name);
          assert.equal(deployment.spec.replicas, undefined, 'the HPA owns the replica count');
        }
        const pdb = findObject(objects, 'PodDisruptionBudget', `shop-gavel-${component}`);
        if (pdb) assert.ok(selects(pdb.spec.selector.matchLabels));
        if (component === 'api') {
          assert.ok(selects(getObject(objects, 'Service', 'shop-gavel-api').spec.selector));
        }
      }
    });

    test('then the API is probed on /healthz and /readyz and given time to drain, the worker time to finish its activities', async () => {
      const { objects } = await render(valuesArgs(set));
      const environment = environmentOf(objects);
      const shutdownSeconds = (2 * parseConfig(environment).SHUTDOWN_TIMEOUT_MS) / 1000;
      const api = getObject(objects, 'Deployment', 'shop-gavel-api').spec.template.spec;
      const container = api.containers[0];
      const portNames = (container?.ports ?? []).map((port) => port.name);
      for (const probe of [container?.livenessProbe, container?.readinessProbe, container?.startupProbe])
        assert.ok(portNames.includes(String(probe?.httpGet.port)), 'each probe names a declared port');
      const service = getObject(objects, 'Service', 'shop-gavel-api');
      assert.ok(portNames.includes(String(service.spec.ports[0]?.targetPort)), 'the Service targets a declared port');
      assert.deepEqual(
        service.spec.ports.map((port) => port.targetPort),
        ['http'],
        'the Service never routes to the metrics port',
      );
      assert.equal(
        container?.ports?.find((port) => port.name === 'metrics')?.containerPort,
        Number(environment.METRICS_PORT),
      );
      assert.equal(container?.livenessProbe?.httpGet.path, '/healthz');
      assert.equal(container?.readinessProbe?.httpGet.path, '/readyz');
      assert.equal(container?.startupProbe?.httpGet.path, '/healthz');
      assert.equal(container?.ports?.[0]?.containerPort, parseConfig(environment).PORT);
      const preStop = container?.lifecycle?.preStop?.sleep?.seconds ?? 0;
      assert.ok(preStop > 0);
      assert.ok(
        (api.terminationGracePeriodSeconds ?? 0) > preStop + shutdownSeconds,
        'the kubelet waits out the whole drain',
      );
      const worker = getObject(objects, 'Deployment', 'shop-gavel-worker').spec.template.spec;
      assert.ok((worker.terminationGracePeriodSeconds ?? 0) > shutdownSeconds);
      assert.deepEqual(worker.containers[0]?.command, ['node', 'dist/worker/main.js']);
    });

    test("then the API's and the worker's environment is one the app's own config accepts in production", async (t) => {
      const { objects } = await render(valuesArgs(set));
      if (set === 'existing-secret') {
        t.diagnostic('the secrets are outside the chart: only the ConfigMap is checked, with placeholder secrets');
      }
      const environment = environmentOf(objects);
      assert.equal(environment.NODE_ENV, 'production');
      for (const [name, value] of Object.entries(environment))
        assert.doesNotMatch(value, /^\d+(\.\d+)?e[+-]\d+$/, `${name} is not written in exponent form`);
      for (const role of ['api', 'worker'] as const) {
        const config = parseConfig(environment, role);
        assert.equal(config.NODE_ENV, 'production', role);
        assert.equal(config.HOST, '0.0.0.0', role);
      }
    });

    test('then the migrations run as a pre-install and pre-upgrade hook, with DATABASE_URL from a Secret that exists by then', async () => {
      const { objects } = await render(valuesArgs(set));
      const job = getObject(objects, 'Job', 'shop-gavel-migrations');
      assert.equal(job.metadata.annotations?.['helm.sh/hook'], 'pre-install,pre-upgrade');
      const container = job.spec.template.spec.containers[0];
      assert.deepEqual(container?.command, ['node', 'dist/db/migrate-main.js']);
      const source = container?.env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef;
      assert.ok(source, 'DATABASE_URL comes from a Secret');
      assert.equal(source.key, 'DATABASE_URL');
      const jobEnvironment = Object.fromEntries(
        (container?.env ?? []).flatMap((variable) =>
          variable.value === undefined ? [] : [[variable.name, variable.value]],
        ),
      );
      assert.doesNotThrow(() =>
        parseConfig({ ...jobEnvironment, DATABASE_URL: 'postgres://gavel:x@db.example.com/gavel' }, 'tool'),
      );
      if (set === 'existing-secret') {
        assert.equal(source.name, 'gavel-env');
      } else {
        const hookSecret = getObject(objects, 'Secret', source.name);
        assert.equal(hookSecret.metadata.annotations?.['helm.sh/hook'], 'pre-install,pre-upgrade');
        assert.ok(
          Number(hookSecret.metadata.annotations?.['helm.sh/hook-weight']) <
            Number(job.metadata.annotations?.['helm.sh/hook-weight']),
          'the Secret is made before the Job',
        );
        assert.equal(
          secretValues(hookSecret).DATABASE_URL,
          secretValues(getObject(objects, 'Secret', 'shop-gavel')).DATABASE_URL,
        );
      }
    });
  });
}

/** What an API or worker pod sees: its ConfigMap, and its Secret (placeholders when the Secret is not the chart's). */
function environmentOf(objects: KubeObject[]): Record<string, string> {
  const deployment = getObject(objects, 'Deployment', 'shop-gavel-api');
  const environment: Record<string, string> = {};
  for (const source of deployment.spec.template.spec.containers[0]?.envFrom ?? []) {
    if (source.configMapRef) Object.assign(environment, getObject(objects, 'ConfigMap', source.configMapRef.name).data);
    if (source.secretRef) {
      const secret = findObject(objects, 'Secret', source.secretRef.name);
      Object.assign(environment, secret ? secretValues(secret) : placeholderSecrets());
    }
  }
  return environment;
}

/** Stand-ins for an existing Secret's contents, valid for production. */
function placeholderSecrets(): Record<string, string> {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' });
  return {
    DATABASE_URL: 'postgres://gavel:x@db.example.com:5432/gavel',
    REDIS_URL: 'rediss://:x@redis.example.com:6380',
    JWT_PRIVATE_KEY: pem.toString(),
    NOTIFICATION_LINK_SECRET: 'placeholder-notification-link-secret-0123456789',
    STRIPE_SECRET_KEY: 'sk_test_placeholder',
    STRIPE_WEBHOOK_SECRET: 'whsec_placeholder',
    ALTCHA_HMAC_KEY: 'placeholder-altcha-hmac-key-0123456789abcdef',
    TEMPORAL_API_KEY: 'placeholder',
  };
}

describe('with Temporal over mTLS', () => {
  test('then the certificate Secret is mounted read-only and TEMPORAL_TLS_* name its files', async () => {
    const { objects } = await render(valuesArgs('production'));
    const environment = environmentOf(objects);
    const spec = getObject(objects, 'Deployment', 'shop-gavel-worker').spec.template.spec;
    const volume = spec.volumes?.find((candidate) => candidate.secret);
    assert.equal(volume?.secret?.secretName, 'temporal-client-cert');
    const mount = spec.containers[0]!.volumeMounts?.find((candidate) => candidate.name === volume.name);
    assert.ok(mount);
    assert.equal(mount.readOnly, true);
    assert.equal(environment.TEMPORAL_TLS_CERT_PATH, `${mount.mountPath}/tls.crt`);
    assert.equal(environment.TEMPORAL_TLS_KEY_PATH, `${mount.mountPath}/tls.key`);
    assert.equal(environment.TEMPORAL_TLS_CA_PATH, `${mount.mountPath}/ca.crt`);
    assert.equal(environment.TEMPORAL_TLS_SERVER_NAME, 'gavel.a1b2c.tmprl.cloud');
  });
});

describe('with the ingress on', () => {
  test('then SSE passes unbuffered with long timeouts, PUBLIC_URL and TRUST_PROXY follow it, and config still wins', async () => {
    const { objects } = await render(valuesArgs('production'));
    const ingress = getObject(objects, 'Ingress', 'shop-gavel-api');
    assert.equal(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-buffering'], 'off');
    assert.ok(Number(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-read-timeout']) >= 3600);
    assert.equal(ingress.spec.rules[0]?.http.paths[0]?.backend.service.name, 'shop-gavel-api');
    assert.equal(environmentOf(objects).PUBLIC_URL, 'https://gavel.example.com');
    assert.equal(environmentOf(objects).TRUST_PROXY, '1');
    const overridden = await render([...valuesArgs('production'), '--set', 'config.TRUST_PROXY=2']);
    assert.equal(environmentOf(overridden.objects).TRUST_PROXY, '2');
  });
});

describe('with bad values', () => {
  const refusals: [string, string[], RegExp][] = [
    ['a misspelt variable', ['--set', 'config.TEMPRAL_ADDRESS=x:7233'], /TEMPRAL_ADDRESS/],
    ['a secret in config', ['--set', 'config.STRIPE_SECRET_KEY=sk_live_x'], /STRIPE_SECRET_KEY/],
    ['a required secret missing', ['--set', 'secrets.DATABASE_URL=null'], /DATABASE_URL/],
    ['secrets beside existingSecret', ['--set', 'existingSecret=mine'], /secrets/],
    ['an unknown log level', ['--set', 'config.LOG_LEVEL=loud'], /LOG_LEVEL/],
    ['a bad ingress host', ['--set', 'api.ingress.host=Not_A_Host'], /host/],
    ['an unknown value', ['--set', 'api.replica=3'], /replica/],
    ['a development NODE_ENV', ['--set', 'config.NODE_ENV=development'], /NODE_ENV/],
    ['several API processes per pod', ['--set', 'config.API_PROCESSES=2'], /API_PROCESSES/],
    [
      'one tracing service name for the API and the worker',
      ['--set', 'config.OTEL_SERVICE_NAME=gavel'],
      /OTEL_SERVICE_NAME/,
    ],
    [
      'one service name through the resource attributes',
      ['--set-string', 'config.OTEL_RESOURCE_ATTRIBUTES=deployment.environment=prod\\,service.name=gavel'],
      /OTEL_RESOURCE_ATTRIBUTES/,
    ],
    ['no PUBLIC_URL', ['--set', 'config.PUBLIC_URL='], /PUBLIC_URL/],
    ['a short link secret', ['--set', 'secrets.NOTIFICATION_LINK_SECRET=short'], /NOTIFICATION_LINK_SECRET/],
    [
      'an HPA minimum above its maximum',
      ['--set', 'api.autoscaling.enabled=true,api.autoscaling.minReplicas=5,api.autoscaling.maxReplicas=2'],
      /minReplicas \(5\) is above maxReplicas \(2\)/,
    ],
  ];
  for (const [what, args, message] of refusals) {
    test(`when ${what}, then the install fails and names it`, async () => {
      const { result } = await render([...valuesArgs('minimal'), ...args]);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, message);
    });
  }

  test('when a required secret is left out, then the install fails because it is required', async () => {
    const without = path.join(path.dirname(jwtKeyValues), 'without-database-url.yaml');
    fs.writeFileSync(
      without,
      fs.readFileSync(path.join(chart, 'ci/minimal.yaml'), 'utf8').replace(/^ {2}DATABASE_URL: .*\n/m, ''),
    );
    const { result } = await render(['-f', without, '-f', jwtKeyValues]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /missing propert(y|ies) 'DATABASE_URL'/);
  });

  test('when no secrets are given at all, then the install fails listing the required ones', async () => {
    const { result } = await render([]);
    assert.notEqual(result.code, 0);
    for (const name of ['DATABASE_URL', 'JWT_PRIVATE_KEY', 'STRIPE_SECRET_KEY', 'REDIS_URL'])
      assert.match(result.stderr, new RegExp(name));
  });
});

test("when NOTES.txt is read, then it registers every one of the workflows' search attributes, with its type", () => {
  const notes = fs.readFileSync(path.join(chart, 'templates/NOTES.txt'), 'utf8');
  for (const { name, type } of Object.values(SEARCH_ATTRIBUTES))
    assert.match(notes, new RegExp(`--name ${name} --type ${type}\\b`));
});

describe('with values the templates must convert', () => {
  test('then large numbers are written as integers, not in exponent form, and the drain follows them', async () => {
    const { result, objects } = await render([
      ...valuesArgs('minimal'),
      '--set',
      'config.IMAGE_MAX_BYTES=20971520,config.TEMPORAL_TASK_QUEUE=1234567,config.SHUTDOWN_TIMEOUT_MS=120000',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const environment = environmentOf(objects);
    assert.equal(environment.IMAGE_MAX_BYTES, '20971520');
    assert.equal(environment.TEMPORAL_TASK_QUEUE, '1234567');
    const api = getObject(objects, 'Deployment', 'shop-gavel-api').spec.template.spec;
    assert.ok((api.terminationGracePeriodSeconds ?? 0) > 240);
  });

  test('then a preStop sleep of 0 leaves the hook out (API servers before 1.33 refuse a zero sleep)', async () => {
    const { objects } = await render([...valuesArgs('minimal'), '--set', 'api.preStopSleepSeconds=0']);
    const container = getObject(objects, 'Deployment', 'shop-gavel-api').spec.template.spec.containers[0];
    assert.equal(container?.lifecycle, undefined);
  });

  test('then a trusted CA is mounted in every pod and named to Node', async () => {
    const { objects } = await render(valuesArgs('existing-secret'));
    const pods = objects.flatMap((object) => podSpecOf(object) ?? []);
    const running = pods.filter(
      (spec) => spec.containers[0]?.command?.[0] === 'node' && spec.containers[0].command[1] !== '-e',
    );
    assert.equal(running.length, 3, 'api, worker, migrations');
    for (const spec of running) {
      const container = spec.containers[0]!;
      const extra = container.env?.find((variable) => variable.name === 'NODE_EXTRA_CA_CERTS')?.value;
      const mount = container.volumeMounts?.find((candidate) => candidate.name === 'trusted-ca');
      assert.ok(mount && extra?.startsWith(`${mount.mountPath}/`), container.name);
      assert.equal(spec.volumes?.find((volume) => volume.name === 'trusted-ca')?.secret?.secretName, 'database-ca');
    }
  });
});
