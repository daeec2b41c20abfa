import http from 'node:http';

/**
 * The load generator of bench/bid.bench.ts, run as its own process so it never shares the server's
 * event loop. Open loop: at a fixed rate, requests leave on schedule whatever the answers do (no
 * coordinated omission); rate 0 means flat out, `concurrency` requests always in flight.
 * Input: one JSON argument. Output: one JSON line.
 */
interface LoadSpec {
  url: string;
  /** Bearer tokens (or user ids for the floor, sent as x-user); requests rotate over them. */
  users: { header: string; value: string }[];
  rate: number;
  seconds: number;
  concurrency: number;
  /** How far above the minimum next bid a bid's maximum may be drawn (minor units; 2,000 unless set). */
  spread?: number;
  /**
   * Instead of the spread: the n-th bid's maximum is `ladder.from + n × ladder.step`, whatever the
   * answers say, so every bid is accepted at a fixed rate even when answers come late or out of order
   * (a step of three top increments or more).
   */
  ladder?: { from: number; step: number };
}

/** Written to stderr as the run begins, so a bench can read other processes' CPU over the run alone. */
const STARTED_MARKER = 'bid-load: started';

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
// A fixed pool of keep-alive sockets: requests beyond it wait their turn here, and that wait counts
// in their latency (an open loop must not open a new connection per burst instead).
const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });

function post(body: string, header: string, value: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      spec.url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', [header]: value } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
const latencies: number[] = [];
const acks: [number, number][] = []; // [seq, epoch ms of the 201]
let accepted = 0;
let rejected = 0;
let errors = 0;
let inFlight = 0;
let minimum = 100;
let next = 0;

async function one(): Promise<void> {
  const n = next++;
  const user = spec.users[n % spec.users.length]!;
  // A wide spread of maxima, as in a real bidding war: most bids clear a minimum that moved meanwhile.
  const amount = spec.ladder
    ? spec.ladder.from + n * spec.ladder.step
    : minimum + Math.floor(Math.random() * (spec.spread ?? 2000));
  const started = performance.now();
  inFlight++;
  try {
    const response = await post(JSON.stringify({ amount }), user.header, user.value);
    const body = JSON.parse(response.text) as {
      seq?: number;
      minimumNextBid?: number;
      error?: { minimumNextBid?: number };
    };
    latencies.push(performance.now() - started);
    if (response.status === 201 && body.seq !== undefined) {
      accepted++;
      // Wall-clock ms as Date.now() counts them, to the µs: the SSE fan-out bench compares these with
      // receive times stamped the same way in another process.
      acks.push([body.seq, performance.timeOrigin + performance.now()]);
      minimum = Math.max(minimum, body.minimumNextBid ?? minimum);
    } else if (response.status === 409) {
      rejected++;
      minimum = Math.max(minimum, body.error?.minimumNextBid ?? minimum);
    } else errors++;
  } catch {
    errors++;
  } finally {
    inFlight--;
  }
}

// The generator's own CPU over the run (not its start-up): a bench accounts for it beside the server's.
const cpuBefore = process.cpuUsage();
const started = performance.now();
process.stderr.write(`${STARTED_MARKER}\n`);
const endAt = started + spec.seconds * 1000;
if (spec.rate > 0) {
  const pending: Promise<void>[] = [];
  for (let i = 0; ; i++) {
    const due = started + (i * 1000) / spec.rate;
    if (due >= endAt) break;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    // A bounded open loop: past this many in flight the server is saturated, and that is counted.
    if (inFlight >= spec.concurrency * 8) errors++;
    else pending.push(one());
  }
  await Promise.all(pending);
} else {
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (performance.now() < endAt) await one();
    }),
  );
}
const elapsed = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ completed: latencies.length, elapsed, accepted, rejected, errors, p50: pct(0.5), p99: pct(0.99), acks, cpuMicros: cpu.user + cpu.system })}\n`,
);
