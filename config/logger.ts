/** JSON logs with pino; secrets are redacted wherever they might appear. */
import { trace } from '@opentelemetry/api';
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

/**
 * With tracing on, a line written inside a span names it, so a log search and a trace viewer meet. The
 * OpenTelemetry pino instrumentation does this too, but its releases for pino 10 need the SDK's next major
 * version, which the Temporal interceptors do not take yet (tracing/README.md).
 */
function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}` };
}

/** `destination` defaults to stdout; tests pass one to read what would have been written. */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL'> & Partial<Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT'>>,
  name: string,
  destination?: DestinationStream,
): Logger {
  const options = {
    name,
    level: config.LOG_LEVEL,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(config.OTEL_EXPORTER_OTLP_ENDPOINT === undefined ? {} : { mixin: traceFields }),
  };
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
