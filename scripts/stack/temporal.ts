/** The Temporal dev server (the pinned CLI built by setup.sh), with the auction search attributes. */
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../domain/temporal-names.js';
import { startChild, type Child } from './child.js';
import { temporalCli, type Profile } from './profiles.js';
import { waitUntilReady } from './wait.js';

async function ping(address: string): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.getSystemInfo({});
  } finally {
    await connection.close();
  }
}

async function pingUi(port: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/`);
  if (!response.ok) throw new Error(`UI answered ${response.status}`);
}

export async function startTemporal(p: Profile): Promise<Child> {
  if (!fs.existsSync(temporalCli)) throw new Error(`${temporalCli} is missing (scripts/setup.sh builds it)`);
  const argv = [temporalCli, 'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(p.temporalPort)];
  argv.push('--namespace', 'default', '--log-level', 'warn');
  for (const { name, type } of Object.values(SEARCH_ATTRIBUTES)) argv.push('--search-attribute', `${name}=${type}`);
  if (p.temporalDbFile) {
    fs.mkdirSync(path.dirname(p.temporalDbFile), { recursive: true });
    argv.push('--db-filename', p.temporalDbFile);
  }
  argv.push(...(p.temporalUiPort === null ? ['--headless'] : ['--ui-port', String(p.temporalUiPort)]));
  const child = startChild({ name: 'temporal', argv, logFile: path.join(p.logDir, 'temporal.log') });
  const uiPort = p.temporalUiPort;
  await waitUntilReady(child, () => ping(`127.0.0.1:${p.temporalPort}`), 60_000);
  if (uiPort !== null) await waitUntilReady(child, () => pingUi(uiPort), 30_000);
  return child;
}
