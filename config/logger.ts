/** JSON logs with pino; secrets are redacted wherever they might appear. */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './env.js';

/**
 * Where a secret could reach a log line: a password field at the top or one level down, the bearer token
 * and cookies of a logged request (pino-http at debug), and `err.body`, where body-parser keeps the raw
 * text of a body it could not parse (a malformed sign-in still holds its password). Checked at the most
 * verbose level by test/security-logs.test.ts.
 */
const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.passwordHash',
  'req.headers.authorization',
  'req.headers.cookie',
  // The SSO binding cookie and the browser-session cookie (the refresh token), as the routes set them.
  'res.headers["set-cookie"]',
  'err.body',
];

/** `destination` defaults to stdout; tests pass one to read what would have been written. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name: string, destination?: DestinationStream): Logger {
  const options = { name, level: config.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/** Crashes are logged once, as fatal, before the process exits. */
export function exitOnCrash(logger: Logger): void {
  const crash = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error }, kind);
    process.exit(1);
  };
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled rejection'));
}
