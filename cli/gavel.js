#!/usr/bin/env node
// The `gavel` command in a checkout (package.json "bin": `npx gavel`, `npm run cli --`): runs the
// TypeScript sources through tsx, as `npm start` runs the API. A build runs dist/cli/main.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
