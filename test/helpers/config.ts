/** The test stack's config, as `npm test` passes it (DATABASE_URL, REDIS_URL, TEMPORAL_ADDRESS). */
import { parseConfig, type Config } from '../../config/env.js';

export const testConfig = (overrides: Record<string, string> = {}): Config =>
  parseConfig({ ...process.env, ...overrides });
