/**
 * Builds the web app before the API starts (`npm start`, `npm test`), so the API serves what the
 * sources say: first the API client's types from the API's own OpenAPI document, then Vite's build
 * into web/dist. About two seconds; the output is what production serves too.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './profiles.js';

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

export async function buildWebApp(): Promise<void> {
  await run(['--import', 'tsx', path.join(repoRoot, 'scripts', 'api-client-types.ts')]);
  await run([path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web', '--logLevel', 'warn']);
}
