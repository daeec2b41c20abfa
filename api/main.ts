/**
 * The API process's entry. Tracing starts before the API's modules load, so its hooks see them
 * (tracing/start.ts); that is why the API itself comes in by a dynamic import.
 */
import { loadConfig } from '../config/env.js';
import { startTracing } from '../tracing/start.js';

const config = loadConfig('api');
const tracing = await startTracing(config, 'gavel-api');
const { runApi } = await import('./process.js');
await runApi(config, tracing);
