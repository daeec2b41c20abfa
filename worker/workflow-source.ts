/**
 * Production loads the bundle `npm run build` made (no webpack at start-up, same code on every
 * replica); development bundles the source folder at start so edits need no build step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config/env.js';

export function workflowSource(
  config: Pick<Config, 'NODE_ENV' | 'WORKFLOW_BUNDLE_PATH'>,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (config.NODE_ENV === 'production') {
    const codePath = path.resolve(config.WORKFLOW_BUNDLE_PATH);
    if (!fs.existsSync(codePath)) throw new Error(`workflow bundle not found at ${codePath}: run npm run build`);
    return { workflowBundle: { codePath } };
  }
  // Beside this module: workflows/index.ts under tsx, workflows/index.js once compiled.
  const extension = path.extname(fileURLToPath(import.meta.url));
  return { workflowsPath: fileURLToPath(new URL(`../workflows/index${extension}`, import.meta.url)) };
}
