/**
 * The end-to-end tests: the built web app in a real Chromium (Debian's, /usr/bin/chromium, installed by
 * scripts/setup.sh: Playwright's own browser download is not used), against an API and a worker started
 * by global-setup.ts on the test stack. `npm test` runs them after node's tests; `npm run test:e2e` alone.
 * Traces and screenshots of failed tests land in .gavel/e2e-results/ (git-ignored): test/README.md.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { E2E_BASE_URL } from './env.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export const CHROMIUM = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  globalSetup: './global-setup.ts',
  outputDir: path.join(root, '.gavel', 'e2e-results'),
  // Two cores: the stack, the API, the worker and the browser share them.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: 'list',
  timeout: 180_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: process.env[E2E_BASE_URL],
    launchOptions: CHROMIUM,
    // A step that waits longer than this is stuck: fail there, not at the test's timeout.
    actionTimeout: 15_000,
    navigationTimeout: 15_000,
    locale: 'en-US',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
