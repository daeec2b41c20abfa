/**
 * The load generator of the webhook bench: autocannon, in its own process so it never shares the
 * server's event loop, posting signed Stripe events from a file in order, each body with its own
 * Stripe-Signature, at a fixed number of connections. Runs for `amount` requests (each event posted
 * once, in order: first-time events must stay first-time) or for `seconds` (cycling the file).
 * Input: one JSON argument. Output: one JSON line.
 */
import fs from 'node:fs';
import autocannon from 'autocannon';

export interface WebhookLoadSpec {
  url: string;
  /** A JSON array of { body, signature }: the exact bytes to post, and the header signing them. */
  requestsFile: string;
  connections: number;
  amount?: number;
  seconds?: number;
}

export interface SignedRequest {
  body: string;
  signature: string;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as WebhookLoadSpec;
const signed = JSON.parse(fs.readFileSync(spec.requestsFile, 'utf8')) as SignedRequest[];
let next = 0;
const outcomes: Record<string, number> = {};
// autocannon notices the end of a run of `amount` requests only at its next sample tick, and reports
// that as the run's duration: the run's length here is from its start to its last answer instead.
let answered = 0;
let lastAnswerAt = 0;
const startedAt = performance.now();

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  ...(spec.amount === undefined ? { duration: spec.seconds ?? 5 } : { amount: spec.amount }),
  sampleInt: 100,
  requests: [
    {
      method: 'POST',
      // One counter for all connections (autocannon copies the request per connection, not this closure).
      setupRequest: (request) => {
        const { body, signature } = signed[next++ % signed.length]!;
        return {
          ...request,
          body,
          headers: { ...request.headers, 'content-type': 'application/json', 'stripe-signature': signature },
        };
      },
      onResponse: (status, body) => {
        answered++;
        lastAnswerAt = performance.now();
        const outcome = status === 200 ? ((JSON.parse(body) as { outcome?: string }).outcome ?? '?') : String(status);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      },
    },
  ],
});

process.stdout.write(
  `${JSON.stringify({
    requests: answered,
    seconds: (lastAnswerAt - startedAt) / 1000,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    outcomes,
  })}\n`,
);
