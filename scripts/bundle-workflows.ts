/**
 * `npm run build` step: bundle the workflows ahead of time for production workers, once as they are and
 * once with the tracing interceptors, which a worker with tracing on loads (worker/workflow-source.ts).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_TRACING_MODULE } from '../tracing/temporal.js';

// Compiled to dist/scripts/; the compiled workflows sit in dist/workflows/, the bundle goes to dist/.
const workflowsPath = fileURLToPath(new URL('../workflows/index.js', import.meta.url));
const bundles = [
  { file: '../workflow-bundle.js', workflowInterceptorModules: [] },
  { file: '../workflow-bundle-traced.js', workflowInterceptorModules: [WORKFLOW_TRACING_MODULE] },
];

for (const { file, workflowInterceptorModules } of bundles) {
  const bundlePath = fileURLToPath(new URL(file, import.meta.url));
  const { code } = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules });
  fs.writeFileSync(bundlePath, code);
  process.stdout.write(`workflow bundle: ${bundlePath} (${Math.round(code.length / 1024)} KiB)\n`);
}
