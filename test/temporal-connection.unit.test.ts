import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../config/env.js';
import { temporalConnectionOptions } from '../config/temporal-connection.js';

const files: Record<string, string> = {
  '/tls/client.crt': 'CERT',
  '/tls/client.key': 'KEY',
  '/tls/ca.crt': 'CA',
};
const readFile = (path: string): Buffer => {
  const content = files[path];
  if (content === undefined) throw new Error('ENOENT: no such file');
  return Buffer.from(content);
};
const optionsFor = (env: Record<string, string>) =>
  temporalConnectionOptions(parseConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', ...env }), readFile);

test('when no TLS variable is set, then the connection is plain gRPC to the address, as to a dev server', () => {
  assert.deepEqual(optionsFor({}), { address: 'ns.acct.tmprl.cloud:7233' });
});

test('when a client certificate is set, then TLS carries it (mTLS), with the CA and server name given', () => {
  const options = optionsFor({
    TEMPORAL_TLS_CERT_PATH: '/tls/client.crt',
    TEMPORAL_TLS_KEY_PATH: '/tls/client.key',
    TEMPORAL_TLS_CA_PATH: '/tls/ca.crt',
    TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
  });
  assert.deepEqual(options.tls, {
    serverNameOverride: 'temporal.internal',
    serverRootCACertificate: Buffer.from('CA'),
    clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
  });
  assert.equal(options.apiKey, undefined);
});

test('when an API key is set, then it is sent over TLS with the system roots, never in the clear', () => {
  assert.deepEqual(optionsFor({ TEMPORAL_API_KEY: 'key-1' }), {
    address: 'ns.acct.tmprl.cloud:7233',
    tls: {},
    apiKey: 'key-1',
  });
});

test('when TEMPORAL_TLS is true alone, then TLS is on without a client certificate', () => {
  assert.deepEqual(optionsFor({ TEMPORAL_TLS: 'true' }).tls, {});
});

test('when only half of the certificate pair is set, then the worker and the API refuse to start, naming the other', () => {
  for (const role of ['api', 'worker'] as const) {
    assert.throws(
      () => parseConfig({ TEMPORAL_TLS_CERT_PATH: '/tls/client.crt' }, role),
      (error: unknown) => error instanceof ConfigError && /TEMPORAL_TLS_KEY_PATH/.test(error.message),
    );
  }
});

test('when a certificate file cannot be read, then the error names the variable and the path', () => {
  assert.throws(
    () => optionsFor({ TEMPORAL_TLS_CERT_PATH: '/tls/missing.crt', TEMPORAL_TLS_KEY_PATH: '/tls/client.key' }),
    /TEMPORAL_TLS_CERT_PATH: cannot read \/tls\/missing\.crt/,
  );
});
