/**
 * Leased budgets (api/security/leased-budget.ts) against the test stack's real Redis: several
 * LeasedBudget instances on one key stand for several API processes.
 *
 * The invariants: across processes, never more draws allowed in a window than the budget; within one
 * process, exactly the budget; across P processes, at least budget − (P − 1)(lease − 1); far fewer
 * Redis calls than draws; a refusal says when the window ends; while Redis is down the insurance
 * limiter still counts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { closeRedis, createRedis, pingRedis, type RedisClient } from '../config/redis.js';
import { LeasedBudget, leaseSizeFor, pointsThatFit, type Draw } from '../api/security/leased-budget.js';
import { createLimiter } from '../api/security/rate-limits.js';
import { testConfig } from './helpers/config.js';

let redis: RedisClient;
before(async () => {
  redis = createRedis(testConfig(), 'command');
  await pingRedis(redis);
});
after(async () => {
  await closeRedis(redis);
});

/** One "process": its own limiter object and lease table on the shared Redis count, its calls counted. */
function processOn(name: string, points: number, durationSeconds: number, client: RedisClient = redis) {
  const limiter = createLimiter(client, name, { points, durationSeconds }, { blockInMemory: false });
  const calls = { count: 0 };
  const consume = limiter.consume.bind(limiter);
  limiter.consume = (key, howMany) => {
    calls.count += 1;
    return consume(key, howMany);
  };
  return { budget: new LeasedBudget(limiter), calls };
}

const allowed = (draws: Draw[]) => draws.filter((draw) => draw.allowed).length;

/** `count` draws started together (a draw answers at once when its lease decides, else a promise). */
const drawsAtOnce = (budget: LeasedBudget, key: string, count: number) =>
  Promise.all(Array.from({ length: count }, () => Promise.resolve(budget.draw(key))));

describe('the arithmetic', () => {
  test('points that fit: a lease is granted in full, in part at the edge, or not at all', () => {
    assert.equal(pointsThatFit(30, 4, 4), 4);
    assert.equal(pointsThatFit(30, 4, 30), 4);
    assert.equal(pointsThatFit(30, 4, 32), 2);
    assert.equal(pointsThatFit(30, 4, 34), 0);
    assert.equal(pointsThatFit(30, 4, 80), 0);
  });

  test('lease sizes: one point for small budgets, an eighth for others, at most 100', () => {
    assert.deepEqual([1, 3, 8, 9, 30, 300, 800, 1_000_000].map(leaseSizeFor), [1, 1, 1, 2, 4, 38, 100, 100]);
  });
});

describe('one process', () => {
  test('when 50 draws race for a budget of 30, then exactly 30 pass, for a Redis call per lease', async () => {
    const { budget, calls } = processOn(`leased-${randomUUID()}`, 30, 60);
    const draws = await drawsAtOnce(budget, 'user-1', 50);
    assert.equal(allowed(draws), 30);
    // 30 points in leases of 4: 8 leases, the last one overshooting and so marking the window spent.
    assert.equal(calls.count, Math.ceil(30 / budget.leaseSize));
    // Refused from memory now, whatever the number of draws.
    await drawsAtOnce(budget, 'user-1', 20);
    assert.equal(calls.count, Math.ceil(30 / budget.leaseSize));
  });

  test('when a lease in memory decides, then a draw answers at once, without a promise to wait for', async () => {
    const { budget } = processOn(`leased-${randomUUID()}`, 30, 60);
    const first = budget.draw('k');
    assert.ok(first instanceof Promise, 'the first draw takes a lease from Redis');
    assert.deepEqual(await first, { allowed: true });
    const next = budget.draw('k');
    assert.ok(!(next instanceof Promise));
    assert.deepEqual(next, { allowed: true });
  });

  test('when a draw is refused, then it says how long until the window ends', async () => {
    const { budget } = processOn(`leased-${randomUUID()}`, 2, 60);
    await budget.draw('k');
    await budget.draw('k');
    const refused = await budget.draw('k');
    assert.equal(refused.allowed, false);
    if (refused.allowed) return;
    assert.ok(refused.retryAfterMs > 55_000 && refused.retryAfterMs <= 60_000, String(refused.retryAfterMs));
  });

  test('when the window ends, then the budget is whole again', async () => {
    const { budget } = processOn(`leased-${randomUUID()}`, 2, 1);
    assert.equal(allowed(await drawsAtOnce(budget, 'k', 3)), 2);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal(allowed(await drawsAtOnce(budget, 'k', 3)), 2);
  });

  test('when keys differ, then their budgets do too', async () => {
    const { budget } = processOn(`leased-${randomUUID()}`, 3, 60);
    const draws = await Promise.all(
      ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'].map((key) => Promise.resolve(budget.draw(key))),
    );
    assert.equal(allowed(draws), 6);
  });
});

describe('several processes on one budget', () => {
  test('whatever the interleaving, never more than the budget, and at most (P − 1)(lease − 1) refused early', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 150 }),
        async (processCount, points, order) => {
          const name = `leased-${randomUUID()}`;
          const processes = Array.from({ length: processCount }, () => processOn(name, points, 60));
          // Draws go to the processes in the generated order, all in flight together.
          const draws = await Promise.all(
            order.map((which) => Promise.resolve(processes[which % processCount]!.budget.draw('user-1'))),
          );
          const lease = leaseSizeFor(points);
          const passed = allowed(draws);
          assert.ok(passed <= points, `${passed} allowed of a budget of ${points}`);
          const floor = Math.min(order.length, points - (processCount - 1) * (lease - 1));
          assert.ok(passed >= floor, `${passed} allowed; at least ${floor} expected`);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('while Redis is down', () => {
  test('then each process counts in its own memory: still exactly the budget', async () => {
    const down = createRedis({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_CLUSTER_NODES: undefined }, 'command');
    down.on('error', () => undefined);
    try {
      const { budget } = processOn(`leased-${randomUUID()}`, 9, 60, down);
      const draws = await drawsAtOnce(budget, 'user-1', 15);
      assert.equal(allowed(draws), 9);
    } finally {
      down.disconnect();
    }
  });
});
