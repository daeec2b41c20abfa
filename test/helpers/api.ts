/** The real API app on an ephemeral port, with real connections to the test stack. */
import { pino } from 'pino';
import { createApp } from '../../api/app.js';
import { connectDependencies } from '../../api/dependencies.js';
import { createMetrics } from '../../api/metrics.js';
import { createLifecycle, drain, listen, portOf } from '../../api/server.js';
import { testConfig } from './config.js';

export async function startTestApi(overrides: Record<string, string> = {}) {
  const config = testConfig({ READINESS_TIMEOUT_MS: '1000', ...overrides });
  const logger = pino({ level: 'silent' });
  const deps = connectDependencies(config);
  const lifecycle = createLifecycle();
  const app = createApp({
    logger,
    metrics: createMetrics(),
    readinessChecks: deps.readinessChecks,
    readinessTimeoutMs: config.READINESS_TIMEOUT_MS,
    isShuttingDown: lifecycle.isShuttingDown,
  });
  const server = await listen(app, '127.0.0.1', 0);
  return {
    url: `http://127.0.0.1:${portOf(server)}`,
    lifecycle,
    close: async () => {
      await drain(server, 1000, logger);
      await deps.close();
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;
