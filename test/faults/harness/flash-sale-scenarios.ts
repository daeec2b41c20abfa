/**
 * The flash-sale scenarios: a claim burst with Redis killed in it, and holds expiring with the worker
 * killed in the expiry; each checks its sale's invariants and answers its outcome (flash-sale-run.ts).
 */
import { redisDuringBurst } from './flash-sale-redis-kill.js';
import type { FlashSaleOutcome } from './flash-sale-run.js';
import { workerWhileHoldsExpire } from './flash-sale-worker-kill.js';
import type { FaultStack } from './stack.js';

export interface FlashSaleScenario {
  name: string;
  run: (stack: FaultStack) => Promise<FlashSaleOutcome>;
}

export const flashSaleScenarios: FlashSaleScenario[] = [
  { name: 'flash sale: Redis SIGKILL during a claim burst', run: redisDuringBurst },
  {
    name: 'flash sale: worker SIGKILL while holds expire, before Redis settles',
    run: (stack) => workerWhileHoldsExpire(stack, 'update'),
  },
  {
    name: 'flash sale: worker SIGKILL while holds expire, after Redis released them',
    run: (stack) => workerWhileHoldsExpire(stack, 'notice'),
  },
];
