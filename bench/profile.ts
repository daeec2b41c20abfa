/** Optional CPU profile of this process around one bench run (BENCH_PROFILE=file.cpuprofile). */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

export async function profiled<T>(file: string | undefined, run: () => Promise<T>): Promise<T> {
  if (!file) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

/** Self time per function, largest first: enough to see where a route spends its CPU. */
export function topSelfTime(file: string, count = 25): string[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const where = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '')}:${frame.lineNumber}`;
    totals.set(where, (totals.get(where) ?? 0) + 1);
  }
  const all = profile.samples.length;
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([where, n]) => `${((n / all) * 100).toFixed(1).padStart(5)}%  ${where}`);
}

/** Self time per function in µs per request, from a profile of `requests` requests. */
function selfMicrosPerRequest(file: string, requests: number): Map<string, number> {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') return;
    const where = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '')}:${frame.lineNumber}`;
    totals.set(where, (totals.get(where) ?? 0) + (profile.timeDeltas[i] ?? 0) / requests);
  });
  return totals;
}

/**
 * Where one handler spends more CPU than another per request: both profiles' self time in µs per
 * request, by function, largest difference first (what the route costs beyond the floor, say).
 */
export function selfTimeDifference(
  a: { file: string; requests: number },
  b: { file: string; requests: number },
  count = 30,
): string[] {
  const left = selfMicrosPerRequest(a.file, a.requests);
  const right = selfMicrosPerRequest(b.file, b.requests);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
  const rows = [...new Set([...left.keys(), ...right.keys()])]
    .map((where) => ({ where, a: left.get(where) ?? 0, b: right.get(where) ?? 0 }))
    .sort((x, y) => y.a - y.b - (x.a - x.b))
    .slice(0, count)
    .map(
      (row) =>
        `${row.a.toFixed(1).padStart(6)} ${row.b.toFixed(1).padStart(6)} ${(row.a - row.b).toFixed(1).padStart(6)}  ${row.where}`,
    );
  return [
    `${sum(left).toFixed(0).padStart(6)} ${sum(right).toFixed(0).padStart(6)}  (total µs per request, busy samples)`,
    ...rows,
  ];
}
