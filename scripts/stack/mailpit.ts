/**
 * Mailpit (the pinned server built by setup.sh): the local SMTP server. Whatever the stack sends arrives
 * there and stays there (nothing is relayed); its web UI shows it, its HTTP API lets the tests read it.
 * Any SMTP login is accepted, without TLS: local use only. `dev` keeps its mail in stateDir/mailpit; the
 * test profiles' state folder is wiped per run, so theirs starts empty.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startChild, type Child } from './child.js';
import { mailpitServer, mailpitUrl, type Profile } from './profiles.js';
import { waitUntilReady } from './wait.js';

/** /readyz answers 200 once the database is open and the HTTP server set up. */
async function httpReady(p: Profile): Promise<void> {
  const response = await fetch(`${mailpitUrl(p)}/readyz`);
  if (response.status !== 200) throw new Error(`/readyz answered ${response.status}`);
}

/** Mailpit opens its SMTP listener after (and apart from) the HTTP one: waits for the server's greeting. */
function smtpReady(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('data', (data) => {
      socket.end('QUIT\r\n');
      if (data.toString('latin1').startsWith('220')) resolve();
      else reject(new Error(`SMTP greeted with ${JSON.stringify(data.toString('latin1').trim())}`));
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error('no SMTP greeting within 1 s'));
    });
    socket.once('error', reject);
  });
}

export async function startMailpit(p: Profile): Promise<Child> {
  if (!fs.existsSync(mailpitServer)) throw new Error(`${mailpitServer} is missing (scripts/setup.sh builds it)`);
  const dir = path.join(p.stateDir, 'mailpit');
  fs.mkdirSync(dir, { recursive: true });
  const argv = [mailpitServer, '--smtp', `127.0.0.1:${p.smtpPort}`, '--listen', `127.0.0.1:${p.mailpitHttpPort}`];
  // Always a file in the state folder: without one Mailpit makes a temporary database in /tmp, which a
  // killed run would leave behind.
  argv.push('--database', path.join(dir, 'mailpit.db'));
  // Mailpit prunes beyond its newest 500 messages, every minute: fine for `dev`, but a test run sends
  // more, and its tests must find their mail; its mailbox lives one run anyway.
  if (p.fresh) argv.push('--max', '0');
  // Any login or none, over plain SMTP (an SMTP_URL with credentials works too); no reverse DNS lookups.
  argv.push('--smtp-auth-accept-any', '--smtp-auth-allow-insecure', '--smtp-disable-rdns');
  // No update check (there may be no network to ask).
  argv.push('--disable-version-check');
  const child = startChild({
    name: 'mailpit',
    argv,
    // Mailpit also reads MP_* variables (MP_SMTP_RELAY_*, MP_SMTP_FORWARD_*, ...): none from the caller's
    // environment may make the local catcher relay or forward mail.
    env: Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => k.startsWith('MP_'))
        .map((k) => [k, '']),
    ),
    logFile: path.join(p.logDir, 'mailpit.log'),
  });
  await waitUntilReady(child, () => httpReady(p), 30_000);
  await waitUntilReady(child, () => smtpReady(p.smtpPort), 30_000);
  return child;
}
