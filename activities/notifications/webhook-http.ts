/**
 * One webhook POST, with the address rule (domain/notifications/network-policy.ts) enforced where it
 * cannot be dodged: in the DNS lookup of the connection itself. A host name that resolved to a public
 * address when it was registered and to 127.0.0.1 now (DNS rebinding) is refused before any byte is
 * sent, as is a literal address (which Node connects to without a lookup, so it is checked first). The
 * sockets come from agents of our own, all of whose connections were made through that lookup. No
 * redirect is followed (node:http follows none): a 3xx is a failed attempt, as the spec advises.
 */
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  AddressNotAllowedError,
  ipLiteralOf,
  isAllowedAddress,
  refusedRange,
} from '../../domain/notifications/network-policy.js';

/** What an attempt records of the answer: its start, enough to see what went wrong. */
export const RESPONSE_EXCERPT_BYTES = 1024;

export interface PostResult {
  /** Null when no HTTP answer came (refused, timed out, the address not allowed). */
  status: number | null;
  /** The answer's first bytes, or why there was none. */
  response: string;
}

/** dns.lookup, refusing the whole answer when any address in it is not one webhooks may reach. */
export function guardedLookup(allowPrivateNetworks: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const refused = addresses.find((entry) => !isAllowedAddress(entry.address, allowPrivateNetworks));
      if (refused) {
        return callback(new AddressNotAllowedError(hostname, refused.address, refusedRange(refused.address)!), '');
      }
      if (addresses.length === 0)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

export class WebhookTimeoutError extends Error {
  override name = 'WebhookTimeoutError';
  readonly code = 'TIMEOUT';
}

export interface WebhookClient {
  post(url: string, headers: Record<string, string>, body: string): Promise<PostResult>;
  close(): void;
}

export function createWebhookClient(options: { allowPrivateNetworks: boolean; timeoutMs: number }): WebhookClient {
  const lookup = guardedLookup(options.allowPrivateNetworks);
  // Keep-alive, so a receiver taking a burst gets one TLS handshake, not one per delivery.
  const agentOptions = { keepAlive: true, lookup, maxFreeSockets: 32, timeout: options.timeoutMs };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };

  function post(target: string, headers: Record<string, string>, body: string): Promise<PostResult> {
    const url = new URL(target);
    const literal = ipLiteralOf(url.hostname);
    if (literal !== null && !isAllowedAddress(literal, options.allowPrivateNetworks)) {
      const refusal = new AddressNotAllowedError(literal, literal, refusedRange(literal)!);
      return Promise.resolve({ status: null, response: describe(refusal) });
    }
    const client = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: PostResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const request = client.request(url, {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      });
      // One deadline for the whole attempt: connecting, sending, and the answer's status and first bytes.
      const timer = setTimeout(
        () => request.destroy(new WebhookTimeoutError(`no answer within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      request.on('error', (error) => finish({ status: null, response: describe(error) }));
      request.on('response', (response) => {
        const status = response.statusCode ?? null;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const excerpt = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');
          finish({ status, response: excerpt });
          // The rest of the answer is not wanted: drop the connection rather than read it.
          if (!response.complete) response.destroy();
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_EXCERPT_BYTES) done();
        });
        response.on('end', done);
        // The status is known: an answer cut short (or timed out) mid-body still counts by its status.
        response.on('error', done);
        response.on('aborted', done);
      });
      request.end(body);
    });
  }

  return {
    post,
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/** An error as an attempt records it: its code (ECONNREFUSED, TIMEOUT, ADDRESS_NOT_ALLOWED…) and message. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const text = code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  return text.slice(0, RESPONSE_EXCERPT_BYTES);
}
