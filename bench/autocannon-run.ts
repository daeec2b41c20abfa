/**
 * autocannon in a process of its own, as bench/load.ts runs it, that also reports its own CPU over the
 * run: what the load generator spends per request, beside what the server does. Input: one JSON
 * argument ({ url, connections, seconds }). Output: one JSON line.
 */
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2] ?? '{}') as { url: string; connections: number; seconds: number };
const before = process.cpuUsage();
process.stderr.write('autocannon-run: started\n');
const result = await autocannon({ url: spec.url, connections: spec.connections, duration: spec.seconds });
const cpu = process.cpuUsage(before);
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: Math.round(result.requests.average),
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuMicros: cpu.user + cpu.system,
  })}\n`,
);
