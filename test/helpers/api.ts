/** The real API app on an ephemeral port, with real connections to the test stack. */
import { pino } from 'pino';
import { buildApi } from '../../api/build.js';
import { connectDependencies } from '../../api/dependencies.js';
import { drain, listen, portOf } from '../../api/server.js';
import { testConfig } from './config.js';

export async function startTestApi(overrides: Record<string, string> = {}) {
  const config = testConfig({ READINESS_TIMEOUT_MS: '1000', ...overrides });
  const logger = pino({ level: 'silent' });
  const deps = connectDependencies(config);
  const api = await buildApi(config, deps, logger);
  const server = await listen(api.app, '127.0.0.1', 0);
  return {
    url: `http://127.0.0.1:${portOf(server)}`,
    app: api.app,
    lifecycle: api.lifecycle,
    hub: api.hub,
    deps,
    close: async () => {
      api.hub.closeAll(100);
      await drain(server, 1000, logger);
      await deps.close();
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;
