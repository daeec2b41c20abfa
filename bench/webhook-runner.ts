/** Runs bench/webhook-load.ts (autocannon posting signed Stripe events) in its own process. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { signStripeEvent } from '../scripts/stripe-events.js';
import type { SignedRequest, WebhookLoadSpec } from './webhook-load.js';

export interface WebhookLoadResult {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** The webhook's `outcome` of each 200 (paid, already_applied…), or the status of any other answer. */
  outcomes: Record<string, number>;
}

const loadScript = fileURLToPath(new URL('./webhook-load.ts', import.meta.url));

/**
 * `events` serialised and signed with `secret` as Stripe signs them, written to a file for the load
 * generator. Done before a run, not during it: signing is the sender's work, not the server's. A
 * signature is good for 5 minutes, so sign just before posting.
 */
export function signRequests(events: object[], secret: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gavel-webhook-bench-'));
  const requestsFile = path.join(dir, 'requests.json');
  const signed: SignedRequest[] = events.map((event) => {
    const { body, headers } = signStripeEvent(event, secret);
    return { body, signature: headers['stripe-signature'] };
  });
  fs.writeFileSync(requestsFile, JSON.stringify(signed));
  return requestsFile;
}

/**
 * Posts the signed requests of `requestsFile` to `url` from `connections` connections: each once in
 * order when `amount` is given, else cycling for `seconds`. The file is removed afterwards.
 */
export async function runWebhookLoad(
  url: string,
  requestsFile: string,
  options: { connections: number; amount?: number; seconds?: number },
): Promise<WebhookLoadResult> {
  const spec: WebhookLoadSpec = { url, requestsFile, ...options };
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', loadScript, JSON.stringify(spec)],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return JSON.parse(stdout) as WebhookLoadResult;
  } finally {
    fs.rmSync(path.dirname(requestsFile), { recursive: true, force: true });
  }
}

export const perSecond = (result: WebhookLoadResult) => result.requests / result.seconds;
