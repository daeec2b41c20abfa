/**
 * stripe-mock (the pinned server built by setup.sh): Stripe's own mock of its API, built from Stripe's
 * OpenAPI spec. It checks each request against the spec and answers with canned fixtures, reflecting
 * some parameters back; it keeps nothing (no state to wipe or keep: `dev` and the tests alike start it
 * as it is), sends no webhooks and accepts any test-mode key, never a live one. Local use only.
 */
import tls from 'node:tls';
import path from 'node:path';
import fs from 'node:fs';
import { DEVELOPMENT_STRIPE_SECRET_KEY } from '../../config/env.js';
import { startChild, type Child } from './child.js';
import { stripeMockServer, stripeMockUrl, type Profile } from './profiles.js';
import { waitUntilReady } from './wait.js';

/**
 * An authenticated GET answered 200 by stripe-mock itself (its version header): the spec is loaded and
 * the HTTP listener is ours, not some other server's on that port.
 */
async function httpReady(p: Profile): Promise<void> {
  const response = await fetch(`${stripeMockUrl(p)}/v1/balance`, {
    headers: { authorization: `Bearer ${DEVELOPMENT_STRIPE_SECRET_KEY}` },
  });
  await response.body?.cancel();
  if (response.status !== 200) throw new Error(`GET /v1/balance answered ${response.status}`);
  if (!response.headers.has('stripe-mock-version')) throw new Error('the answer is not stripe-mock’s');
}

/** stripe-mock opens its HTTPS listener after the HTTP one, and exits if it cannot: waits for a handshake. */
function httpsReady(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its certificate is self-signed (and nothing here sends it anything).
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    socket.setTimeout(1000);
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error('no TLS handshake within 1 s'));
    });
    socket.once('error', reject);
  });
}

export async function startStripeMock(p: Profile): Promise<Child> {
  if (!fs.existsSync(stripeMockServer)) throw new Error(`${stripeMockServer} is missing (scripts/setup.sh builds it)`);
  const child = startChild({
    name: 'stripe-mock',
    // Both listeners on 127.0.0.1 and on the profile's ports. stripe-mock has no switch to leave HTTPS
    // off: -http-port would (and bind every interface), -http-addr does not, and the HTTPS default
    // (12112, every interface) would collide between the dev and test stacks.
    argv: [
      stripeMockServer,
      '-http-addr',
      `127.0.0.1:${p.stripeMockPort}`,
      '-https-addr',
      `127.0.0.1:${p.stripeMockHttpsPort}`,
    ],
    logFile: path.join(p.logDir, 'stripe-mock.log'),
  });
  await waitUntilReady(child, () => httpReady(p), 30_000);
  await waitUntilReady(child, () => httpsReady(p.stripeMockHttpsPort), 30_000);
  return child;
}
