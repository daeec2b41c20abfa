import http from 'node:http';

/**
 * An open-loop GET load at a fixed rate, run as its own process (bench/listing.bench.ts): requests
 * leave on schedule whatever the answers do, and each one's latency counts from when it was due, so a
 * slow answer is not hidden by the requests it held back (no coordinated omission). autocannon's -R
 * is not this: each connection spends its per-second budget at full speed, then waits for the next
 * second, so "half the peak" would be full speed half of each second.
 * Input: one JSON argument. Output: one JSON line.
 */
interface LoadSpec {
  url: string;
  rate: number;
  seconds: number;
  /** Keep-alive sockets; requests beyond them wait their turn, and the wait counts. */
  concurrency: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });

function get(): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(spec.url, { agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

const latencies: number[] = [];
let errors = 0;
const started = performance.now();
const pending: Promise<void>[] = [];
for (let i = 0; ; i++) {
  const due = started + (i * 1000) / spec.rate;
  if (due >= started + spec.seconds * 1000) break;
  const wait = due - performance.now();
  if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  pending.push(
    get().then(
      (status) => {
        if (status === 200) latencies.push(performance.now() - due);
        else errors++;
      },
      () => void errors++,
    ),
  );
}
await Promise.all(pending);
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ completed: latencies.length, elapsed, errors, p50: pct(0.5), p99: pct(0.99), max: pct(1) })}\n`,
);
