/** `npm run build` step: bundle the workflows ahead of time for production workers. */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

// Compiled to dist/scripts/; the compiled workflows sit in dist/workflows/, the bundle goes to dist/.
const workflowsPath = fileURLToPath(new URL('../workflows/index.js', import.meta.url));
const bundlePath = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));

const { code } = await bundleWorkflowCode({ workflowsPath });
fs.writeFileSync(bundlePath, code);
process.stdout.write(`workflow bundle: ${bundlePath} (${Math.round(code.length / 1024)} KiB)\n`);
