/** Readiness of each dependency, checked side by side, each with its own deadline. */
import type { CheckResult } from './health-responses.js';

export interface DependencyCheck {
  name: string;
  check: () => Promise<unknown>;
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function checkAll(checks: DependencyCheck[], timeoutMs: number): Promise<Record<string, CheckResult>> {
  const results = await Promise.all(
    checks.map(async ({ name, check }): Promise<[string, CheckResult]> => {
      const started = performance.now();
      const latencyMs = () => Math.round(performance.now() - started);
      try {
        await withDeadline(check(), timeoutMs);
        return [name, { status: 'up', latencyMs: latencyMs() }];
      } catch (error) {
        return [name, { status: 'down', latencyMs: latencyMs(), error: (error as Error).message }];
      }
    }),
  );
  return Object.fromEntries(results);
}
