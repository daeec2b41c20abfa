/** The real API app on an ephemeral port, with real connections to the test stack. */
import { pino, type Logger } from 'pino';
import { buildApi } from '../../api/build.js';
import { connectDependencies } from '../../api/dependencies.js';
import { drain, listen, portOf } from '../../api/server.js';
import { testConfig } from './config.js';

/** `logger` defaults to a silent one; test/security-logs.test.ts passes one that writes to memory. */
export async function startTestApi(overrides: Record<string, string> = {}, logger: Logger = pino({ level: 'silent' })) {
  const config = testConfig({ READINESS_TIMEOUT_MS: '1000', ...overrides });
  const deps = connectDependencies(config);
  const api = await buildApi(config, deps, logger);
  const server = await listen(api.app, '127.0.0.1', 0);
  return {
    url: `http://127.0.0.1:${portOf(server)}`,
    app: api.app,
    lifecycle: api.lifecycle,
    hub: api.hub,
    discovery: api.discovery,
    deps,
    close: async () => {
      api.hub.closeAll(100);
      await drain(server, 1000, logger);
      api.stop();
      await deps.close();
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;
