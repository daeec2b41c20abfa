/** JSON logs with pino; secrets are redacted wherever they might appear. */
import { pino, type Logger } from 'pino';
import type { Config } from './env.js';

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name: string): Logger {
  return pino({
    name,
    level: config.LOG_LEVEL,
    redact: {
      paths: ['password', '*.password', 'req.headers.authorization', 'req.headers.cookie', '*.passwordHash'],
      censor: '[redacted]',
    },
  });
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
