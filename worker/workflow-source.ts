/**
 * Production loads the bundle `npm run build` made (no webpack at start-up, same code on every
 * replica); development bundles the source folder at start so edits need no build step. Any mode
 * runs the bundle WORKFLOW_BUNDLE_PATH names: a test runs a released version's workflow code that
 * way against today's activities, then upgrades the worker (test/worker-upgrade.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config/env.js';

/** Where `npm run build` writes the bundle (scripts/bundle-workflows.ts), from the working directory. */
const BUILT_WORKFLOW_BUNDLE = 'dist/workflow-bundle.js';

export function workflowSource(
  config: Pick<Config, 'NODE_ENV' | 'WORKFLOW_BUNDLE_PATH'>,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = config.WORKFLOW_BUNDLE_PATH ?? (config.NODE_ENV === 'production' ? BUILT_WORKFLOW_BUNDLE : null);
  if (bundle !== null) {
    const codePath = path.resolve(bundle);
    if (!fs.existsSync(codePath)) throw new Error(`workflow bundle not found at ${codePath}: run npm run build`);
    return { workflowBundle: { codePath } };
  }
  // Beside this module: workflows/index.ts under tsx, workflows/index.js once compiled.
  const extension = path.extname(fileURLToPath(import.meta.url));
  return { workflowsPath: fileURLToPath(new URL(`../workflows/index${extension}`, import.meta.url)) };
}
