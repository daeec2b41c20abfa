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
import { WORKFLOW_TRACING_MODULE } from '../tracing/temporal.js';

/**
 * Where `npm run build` writes the bundles (scripts/bundle-workflows.ts), from the working directory: the
 * same workflow code, the second with the tracing interceptors (tracing/temporal.ts) built in.
 */
const BUILT_WORKFLOW_BUNDLE = 'dist/workflow-bundle.js';
const BUILT_TRACED_WORKFLOW_BUNDLE = 'dist/workflow-bundle-traced.js';

/**
 * `traced`: the workflows run with the tracing interceptors. WORKFLOW_BUNDLE_PATH names a bundle as it
 * was built, with or without them.
 */
export function workflowSource(
  config: Pick<Config, 'NODE_ENV' | 'WORKFLOW_BUNDLE_PATH'>,
  traced = false,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'interceptors'> {
  const built = traced ? BUILT_TRACED_WORKFLOW_BUNDLE : BUILT_WORKFLOW_BUNDLE;
  const bundle = config.WORKFLOW_BUNDLE_PATH ?? (config.NODE_ENV === 'production' ? built : null);
  if (bundle !== null) {
    const codePath = path.resolve(bundle);
    if (!fs.existsSync(codePath)) throw new Error(`workflow bundle not found at ${codePath}: run npm run build`);
    return { workflowBundle: { codePath } };
  }
  // Beside this module: workflows/index.ts under tsx, workflows/index.js once compiled.
  const extension = path.extname(fileURLToPath(import.meta.url));
  const workflowsPath = fileURLToPath(new URL(`../workflows/index${extension}`, import.meta.url));
  return traced ? { workflowsPath, interceptors: { workflowModules: [WORKFLOW_TRACING_MODULE] } } : { workflowsPath };
}
