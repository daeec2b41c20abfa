/**
 * How the API's client and the worker reach the Temporal frontend: plain gRPC on a local dev server;
 * TLS with a client certificate (mTLS) or an API key for Temporal Cloud and secured clusters. The
 * files are read once, at start, so a missing or unreadable one stops the process with its path.
 */
import fs from 'node:fs';
import type { Config } from './env.js';

type TemporalSettings = Pick<
  Config,
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_TLS_CERT_PATH'
  | 'TEMPORAL_TLS_KEY_PATH'
  | 'TEMPORAL_TLS_CA_PATH'
  | 'TEMPORAL_TLS_SERVER_NAME'
  | 'TEMPORAL_API_KEY'
>;

/** The options both `Connection` (client) and `NativeConnection` (worker) take. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: {
    serverNameOverride?: string;
    serverRootCACertificate?: Buffer;
    clientCertPair?: { crt: Buffer; key: Buffer };
  };
  apiKey?: string;
}

export function temporalConnectionOptions(
  config: TemporalSettings,
  readFile: (path: string) => Buffer = (path) => fs.readFileSync(path),
): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address: config.TEMPORAL_ADDRESS };
  const certificate = config.TEMPORAL_TLS_CERT_PATH !== undefined && config.TEMPORAL_TLS_KEY_PATH !== undefined;
  // An API key or a client certificate is never sent in the clear.
  const tls = config.TEMPORAL_TLS || certificate || config.TEMPORAL_API_KEY !== undefined;
  if (!tls) return options;
  options.tls = {};
  if (config.TEMPORAL_TLS_SERVER_NAME !== undefined) options.tls.serverNameOverride = config.TEMPORAL_TLS_SERVER_NAME;
  if (config.TEMPORAL_TLS_CA_PATH !== undefined)
    options.tls.serverRootCACertificate = read(readFile, 'TEMPORAL_TLS_CA_PATH', config.TEMPORAL_TLS_CA_PATH);
  if (certificate) {
    options.tls.clientCertPair = {
      crt: read(readFile, 'TEMPORAL_TLS_CERT_PATH', config.TEMPORAL_TLS_CERT_PATH!),
      key: read(readFile, 'TEMPORAL_TLS_KEY_PATH', config.TEMPORAL_TLS_KEY_PATH!),
    };
  }
  if (config.TEMPORAL_API_KEY !== undefined) options.apiKey = config.TEMPORAL_API_KEY;
  return options;
}

function read(readFile: (path: string) => Buffer, variable: string, path: string): Buffer {
  try {
    return readFile(path);
  } catch (error) {
    throw new Error(`${variable}: cannot read ${path} (${(error as Error).message})`, { cause: error });
  }
}
