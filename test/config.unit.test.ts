import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import {
  DEVELOPMENT_ALTCHA_HMAC_KEY,
  ConfigError,
  DEVELOPMENT_STRIPE_SECRET_KEY,
  envSchema,
  DEVELOPMENT_STRIPE_WEBHOOK_SECRET,
  parseConfig,
} from '../config/env.js';
import { newEs256PrivateKeyPem } from './helpers/jwt.js';

test('when nothing is set, then every variable has its documented default', () => {
  const config = parseConfig({});
  assert.equal(config.PORT, 3000);
  assert.equal(config.HOST, '127.0.0.1');
  assert.equal(config.NODE_ENV, 'development');
  assert.equal(config.TEMPORAL_ADDRESS, '127.0.0.1:7233');
  assert.equal(config.TEMPORAL_TASK_QUEUE, 'auctions');
  assert.match(config.DATABASE_URL, /^postgres:\/\/.+:5544\/gavel$/);
  assert.equal(config.REDIS_URL, 'redis://127.0.0.1:6390');
});

test('when a variable is set, then it is parsed to its type', () => {
  const config = parseConfig({ PORT: '8080', DATABASE_POOL_MAX: '3', LOG_LEVEL: 'debug' });
  assert.equal(config.PORT, 8080);
  assert.equal(config.DATABASE_POOL_MAX, 3);
  assert.equal(config.LOG_LEVEL, 'debug');
});

test('when a variable is empty, then its default applies', () => {
  assert.equal(parseConfig({ PORT: '' }).PORT, 3000);
});

test('when REDIS_CLUSTER_NODES lists seeds, then they are parsed to hosts and ports; unset means one server', () => {
  assert.deepEqual(parseConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000, redis-b:7001' }).REDIS_CLUSTER_NODES, [
    { host: '127.0.0.1', port: 7000 },
    { host: 'redis-b', port: 7001 },
  ]);
  assert.equal(parseConfig({}).REDIS_CLUSTER_NODES, undefined);
});

for (const [name, value] of [
  ['PORT', 'eighty'],
  ['PORT', '70000'],
  ['DATABASE_URL', 'mysql://localhost/gavel'],
  ['REDIS_URL', 'not a url'],
  ['REDIS_CLUSTER_NODES', '127.0.0.1'],
  ['REDIS_CLUSTER_NODES', '127.0.0.1:7000,'],
  ['TEMPORAL_ADDRESS', 'localhost'],
  ['NODE_ENV', 'staging'],
  ['DATABASE_POOL_MAX', '0'],
  ['RATE_LIMIT_BIDS_PER_USER', '30'],
  ['RATE_LIMIT_BIDS_PER_USER', '0/10s'],
  ['RATE_LIMIT_BIDS_PER_USER', '30/0s'],
  ['RATE_LIMIT_BIDS_PER_USER', '30/1d'],
  ['RATE_LIMIT_BIDS_PER_USER', '1.5/10s'],
  ['TRUST_PROXY', 'true'],
  ['TRUST_PROXY', 'proxy.example.com'],
  ['TRUST_PROXY', '10.0.0.0/33'],
  ['SSE_MAX_STREAMS_PER_IP', '0'],
  ['OIDC_PROVIDERS', 'not json'],
  ['OIDC_PROVIDERS', '{"id":"a"}'],
  ['REFRESH_TOKEN_TTL_SECONDS', '0'],
  ['SSO_ATTEMPT_TTL_SECONDS', '7200'],
  ['RATE_LIMIT_SSO_PER_IP', '5'],
] as const) {
  test(`when ${name}=${value}, then the error names ${name}`, () => {
    assert.throws(
      () => parseConfig({ [name]: value }),
      (error: unknown) => error instanceof ConfigError && error.message.includes(`${name}:`),
    );
  });
}

test('when several variables are bad, then the error names each of them', () => {
  assert.throws(
    () => parseConfig({ PORT: 'x', REDIS_URL: 'y' }),
    (error: unknown) => error instanceof ConfigError && /PORT:/.test(error.message) && /REDIS_URL:/.test(error.message),
  );
});

test('when rate limits are not set, then production defaults apply, and TRUST_PROXY is off', () => {
  const config = parseConfig({});
  assert.deepEqual(config.RATE_LIMIT_BIDS_PER_USER, { points: 30, durationSeconds: 10 });
  assert.deepEqual(config.RATE_LIMIT_SIGN_INS_PER_ACCOUNT, { points: 10, durationSeconds: 900 });
  assert.equal(config.TRUST_PROXY, false);
});

for (const [value, expected] of [
  ['30/10s', { points: 30, durationSeconds: 10 }],
  ['10/15m', { points: 10, durationSeconds: 900 }],
  [' 20/1h ', { points: 20, durationSeconds: 3600 }],
  ['off', null],
] as const) {
  test(`when a rate limit is ${JSON.stringify(value)}, then it reads as ${JSON.stringify(expected)}`, () => {
    assert.deepEqual(parseConfig({ RATE_LIMIT_SIGN_UPS_PER_IP: value }).RATE_LIMIT_SIGN_UPS_PER_IP, expected);
  });
}

for (const [value, expected] of [
  ['off', false],
  ['1', 1],
  ['loopback', 'loopback'],
  ['loopback, 10.0.0.0/8 ,fd00::/8', 'loopback,10.0.0.0/8,fd00::/8'],
  ['203.0.113.9', '203.0.113.9'],
] as const) {
  test(`when TRUST_PROXY is ${JSON.stringify(value)}, then express is given ${JSON.stringify(expected)}`, () => {
    assert.equal(parseConfig({ TRUST_PROXY: value }).TRUST_PROXY, expected);
  });
}

describe('OIDC_PROVIDERS', () => {
  const google = {
    id: 'google',
    name: 'Google',
    issuer: 'https://accounts.google.com',
    clientId: 'client.apps.googleusercontent.com',
    clientSecret: 'a-secret',
    redirectUri: 'https://api.example.com/v1/auth/sso/google/callback',
  };
  const parse = (providers: unknown) => parseConfig({ OIDC_PROVIDERS: JSON.stringify(providers) }).OIDC_PROVIDERS;

  test('when unset, then there are none; when set, then each provider is parsed, scopes defaulting to openid email profile and the verified-email claim to email_verified', () => {
    assert.deepEqual(parseConfig({}).OIDC_PROVIDERS, []);
    const entra = {
      id: 'corp-sso',
      issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
      clientId: 'gavel',
      scopes: ['openid', 'email'],
      redirectUri: 'https://gavel.corp.example/v1/auth/sso/corp-sso/callback',
      emailVerifiedClaim: 'xms_edov',
    };
    assert.deepEqual(parse([google, entra]), [
      { ...google, scopes: ['openid', 'email', 'profile'], emailVerifiedClaim: 'email_verified' },
      entra,
    ]);
  });

  test('when a provider is on http at localhost, then it is accepted (a local provider); elsewhere http is refused', () => {
    const local = { ...google, issuer: 'http://127.0.0.1:8080', redirectUri: 'http://localhost:3000/cb' };
    assert.equal(parse([local])[0]?.issuer, 'http://127.0.0.1:8080');
  });

  for (const [why, providers] of [
    ['an issuer is http on another host', [{ ...google, issuer: 'http://idp.example' }]],
    ['a redirect URI is http on another host', [{ ...google, redirectUri: 'http://api.example.com/cb' }]],
    ['the scopes leave out openid', [{ ...google, scopes: ['email'] }]],
    ['an id has capitals', [{ ...google, id: 'Google' }]],
    ['an id is used twice', [google, google]],
    ['a field is misspelt', [{ ...google, client_id: 'x' }]],
    ['the client id is missing', [{ ...google, clientId: undefined }]],
    ['the verified-email claim is no claim name', [{ ...google, emailVerifiedClaim: 'email verified' }]],
  ] as const) {
    test(`when ${why}, then the error names OIDC_PROVIDERS and never repeats the secret`, () => {
      assert.throws(
        () => parse(providers),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message.includes('OIDC_PROVIDERS') &&
          !error.message.includes('a-secret'),
      );
    });
  }
});

describe('Stripe', () => {
  const production = {
    NODE_ENV: 'production',
    JWT_PRIVATE_KEY: newEs256PrivateKeyPem(),
    NOTIFICATION_LINK_SECRET: 'a-notification-link-secret-32-chars-or-more',
    ALTCHA_HMAC_KEY: 'a-challenge-signing-key-of-32-chars-or-more',
  };
  const live = { STRIPE_SECRET_KEY: 'sk_live_51GavelUnitTest', STRIPE_WEBHOOK_SECRET: 'whsec_GavelUnitTest' };
  const names = (expected: string[]) => (error: unknown) =>
    error instanceof ConfigError && expected.every((name) => error.message.includes(`${name}:`));

  test('when nothing is set, then the documented development key and secret apply, and the SDK talks to Stripe itself', () => {
    const config = parseConfig({});
    assert.equal(config.STRIPE_SECRET_KEY, DEVELOPMENT_STRIPE_SECRET_KEY);
    assert.equal(config.STRIPE_WEBHOOK_SECRET, DEVELOPMENT_STRIPE_WEBHOOK_SECRET);
    assert.equal(config.STRIPE_API_URL, undefined);
    // stripe-mock takes only test-mode keys of three underscore-separated parts.
    assert.match(DEVELOPMENT_STRIPE_SECRET_KEY, /^sk_test_[^_]+$/);
    assert.match(DEVELOPMENT_STRIPE_WEBHOOK_SECRET, /^whsec_/);
  });

  for (const [value, expected] of [
    ['http://127.0.0.1:12111', { protocol: 'http', host: '127.0.0.1', port: 12111 }],
    ['http://localhost:12211/', { protocol: 'http', host: 'localhost', port: 12211 }],
    ['http://[::1]:12111', { protocol: 'http', host: '::1', port: 12111 }],
    ['https://stripe-proxy.internal', { protocol: 'https', host: 'stripe-proxy.internal', port: 443 }],
    ['http://stripe-mock', { protocol: 'http', host: 'stripe-mock', port: 80 }],
  ] as const) {
    test(`when STRIPE_API_URL=${value}, then the SDK gets ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(parseConfig({ STRIPE_API_URL: value }).STRIPE_API_URL, expected);
    });
  }

  for (const [name, value] of [
    ['STRIPE_API_URL', 'not a url'],
    ['STRIPE_API_URL', 'ftp://127.0.0.1:12111'],
    ['STRIPE_API_URL', 'http://127.0.0.1:12111/v1'],
    ['STRIPE_API_URL', 'http://127.0.0.1:12111?x=1'],
    ['STRIPE_API_URL', 'https://user:pass@proxy.example'],
    ['STRIPE_SECRET_KEY', 'pk_live_PublishableKey'],
    ['STRIPE_SECRET_KEY', 'sk_PlainKey'],
    ['STRIPE_SECRET_KEY', 'whsec_NotAKey'],
    ['STRIPE_WEBHOOK_SECRET', 'sk_test_NotASecret'],
    ['STRIPE_WEBHOOK_SECRET', 'a-shared-secret'],
  ] as const) {
    test(`when ${name}=${value}, then the error names ${name} without repeating the value`, () => {
      assert.throws(
        () => parseConfig({ [name]: value }),
        (error: unknown) => names([name])(error) && !(error as Error).message.includes(value),
      );
    });
  }

  for (const role of ['api', 'worker'] as const) {
    test(`when the ${role} runs in production without STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, then a ConfigError names both`, () => {
      assert.throws(() => parseConfig(production, role), names(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']));
    });

    test(`when the ${role} runs in production with the documented development values, then they are refused`, () => {
      const development = {
        STRIPE_SECRET_KEY: DEVELOPMENT_STRIPE_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: DEVELOPMENT_STRIPE_WEBHOOK_SECRET,
      };
      assert.throws(
        () => parseConfig({ ...production, ...development }, role),
        (error: unknown) =>
          names(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'])(error) &&
          /not the development one/.test((error as Error).message),
      );
    });

    test(`when the ${role} runs in production with a live, test or restricted key and a signing secret, then it starts`, () => {
      for (const key of ['sk_live_51GavelUnitTest', 'sk_test_51GavelStaging', 'rk_live_51GavelRestricted']) {
        const config = parseConfig({ ...production, ...live, STRIPE_SECRET_KEY: key }, role);
        assert.equal(config.STRIPE_SECRET_KEY, key);
        assert.equal(config.STRIPE_WEBHOOK_SECRET, live.STRIPE_WEBHOOK_SECRET);
        assert.equal(config.STRIPE_API_URL, undefined);
      }
    });

    test(`when the ${role} runs in production with STRIPE_API_URL over http, then it is refused; https is fine`, () => {
      assert.throws(
        () => parseConfig({ ...production, ...live, STRIPE_API_URL: 'http://stripe-mock:12111' }, role),
        (error: unknown) => names(['STRIPE_API_URL'])(error) && /https/.test((error as Error).message),
      );
      const config = parseConfig(
        { ...production, ...live, STRIPE_API_URL: 'https://stripe-proxy.internal:8443' },
        role,
      );
      assert.deepEqual(config.STRIPE_API_URL, { protocol: 'https', host: 'stripe-proxy.internal', port: 8443 });
    });
  }

  test('when production lacks the Stripe values and another variable is bad too, then the error names every one', () => {
    assert.throws(
      () => parseConfig({ ...production, PORT: 'x' }, 'api'),
      names(['PORT', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']),
    );
  });

  test('when a tool (migrations) runs in production, then it needs no Stripe values', () => {
    assert.equal(parseConfig({ NODE_ENV: 'production' }).STRIPE_SECRET_KEY, DEVELOPMENT_STRIPE_SECRET_KEY);
  });
});

describe("Flash sales' challenge key", () => {
  const production = {
    NODE_ENV: 'production',
    JWT_PRIVATE_KEY: newEs256PrivateKeyPem(),
    NOTIFICATION_LINK_SECRET: 'a-notification-link-secret-32-chars-or-more',
    STRIPE_SECRET_KEY: 'sk_live_51GavelUnitTest',
    STRIPE_WEBHOOK_SECRET: 'whsec_GavelUnitTest',
  };
  const namesKey = (error: unknown) => error instanceof ConfigError && error.message.includes('ALTCHA_HMAC_KEY:');

  test('when the api runs in production without ALTCHA_HMAC_KEY, or with the development one, then it is refused', () => {
    assert.throws(() => parseConfig(production, 'api'), namesKey);
    assert.throws(() => parseConfig({ ...production, ALTCHA_HMAC_KEY: DEVELOPMENT_ALTCHA_HMAC_KEY }, 'api'), namesKey);
  });

  test('when the api runs in production with a key of its own, then it starts; the worker needs none', () => {
    const key = 'a-challenge-signing-key-of-32-chars-or-more';
    assert.equal(parseConfig({ ...production, ALTCHA_HMAC_KEY: key }, 'api').ALTCHA_HMAC_KEY, key);
    assert.equal(parseConfig(production, 'worker').ALTCHA_HMAC_KEY, DEVELOPMENT_ALTCHA_HMAC_KEY);
  });

  test('when ALTCHA_HMAC_KEY is shorter than 32 characters, then it is refused', () => {
    assert.throws(() => parseConfig({ ALTCHA_HMAC_KEY: 'short' }), namesKey);
  });
});

describe('ADMIN_EMAILS', () => {
  test('when unset, then nobody is an admin by configuration', () => {
    assert.deepEqual(parseConfig({}).ADMIN_EMAILS, []);
  });

  test('when it lists emails, then they are trimmed and lowercased, and empty entries dropped', () => {
    assert.deepEqual(parseConfig({ ADMIN_EMAILS: ' Ada@Example.com, ,ops@example.com,' }).ADMIN_EMAILS, [
      'ada@example.com',
      'ops@example.com',
    ]);
  });

  test('when an entry is not an email, then the variable is named', () => {
    for (const value of ['ada', 'ada@example.com;ops@example.com', 'a da@example.com']) {
      assert.throws(
        () => parseConfig({ ADMIN_EMAILS: value }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, /ADMIN_EMAILS/);
          return true;
        },
      );
    }
  });
});

test("when API_PROCESSES is above 1, then the API needs METRICS_PORT (where the processes' metrics are summed); 1 is the default", () => {
  assert.equal(parseConfig({}, 'api').API_PROCESSES, 1);
  assert.throws(
    () => parseConfig({ API_PROCESSES: '2' }, 'api'),
    (error: unknown) => error instanceof ConfigError && /METRICS_PORT/.test(error.message),
  );
  assert.equal(parseConfig({ API_PROCESSES: '2', METRICS_PORT: '9464' }, 'api').API_PROCESSES, 2);
  assert.throws(() => parseConfig({ API_PROCESSES: '0' }), /API_PROCESSES/);
});

test('when .env.example is read, then it names every variable the config reads and no other, and the values it sets parse', () => {
  const lines = fs.readFileSync(new URL('../.env.example', import.meta.url), 'utf8').split('\n');
  // Set (`NAME=value`) or shown commented out (`# NAME=`), as secrets and optional ones are.
  const named = lines.flatMap((line) => /^(?:# ?)?([A-Z][A-Z0-9_]+)=/.exec(line)?.[1] ?? []);
  assert.deepEqual([...new Set(named)].sort(), Object.keys(envSchema.shape).sort());
  const set: Record<string, string> = {};
  for (const line of lines) {
    const match = /^([A-Z][A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) set[match[1]!] = match[2]!;
  }
  assert.ok(Object.keys(set).length > 50, 'most variables are set to their defaults');
  assert.doesNotThrow(() => parseConfig(set));
});
