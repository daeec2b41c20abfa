import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

/**
 * The load generator of bench/sale.bench.ts, run as its own process so it never shares the server's
 * event loop. Two shapes:
 *   - `flat`: for `seconds`, `concurrency` claims always in flight, rotating over the senders;
 *   - `burst`: each sender's claim sent once, in order, `concurrency` in flight: a crowd at the drop.
 * Every claim asks for `quantity` units, with its own Idempotency-Key. Input: one JSON document on standard input (thousands of tokens are too long for an argument).
 * Output: one JSON line.
 */
interface LoadSpec {
  url: string;
  mode: 'flat' | 'burst';
  /** Bearer tokens (or user ids for the floor, sent as x-user). */
  senders: { header: string; value: string; quantity?: number }[];
  seconds: number;
  concurrency: number;
}

const spec = JSON.parse(readFileSync(0, 'utf8')) as LoadSpec;
const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });

function post(body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      spec.url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const latencies: number[] = [];
const byStatus: Record<string, number> = {};
let lastCreatedMs = 0;
let next = 0;
const started = performance.now();

async function one(): Promise<void> {
  const sender = spec.senders[next++ % spec.senders.length]!;
  const sent = performance.now();
  let status: number;
  try {
    status = await post(JSON.stringify({ quantity: sender.quantity ?? 1 }), {
      [sender.header]: sender.value,
      'idempotency-key': randomUUID(),
    });
  } catch {
    status = 0; // no answer at all: counted apart from every status
  }
  const now = performance.now();
  latencies.push(now - sent);
  byStatus[status] = (byStatus[status] ?? 0) + 1;
  if (status === 201) lastCreatedMs = now - started;
}

const endAt = started + spec.seconds * 1000;
await Promise.all(
  Array.from({ length: spec.concurrency }, async () => {
    if (spec.mode === 'flat') while (performance.now() < endAt) await one();
    else while (next < spec.senders.length) await one();
  }),
);
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ completed: latencies.length, elapsed, byStatus, lastCreatedMs, p50: pct(0.5), p99: pct(0.99) })}\n`,
);
