/**
 * The settlement scenarios: sold auctions whose orders are paid, left to expire and offered on, with a
 * fault aimed at the settlement's steps, then every settlement awaited to its end and checked
 * (settlement-invariants.ts).
 *   - The worker is SIGKILLed once, while the close makes orders, payBy expires orders, automatic
 *     offers go out and one is accepted, all at that moment (the test holds a lock each step needs,
 *     so each is caught mid-step: lock-hold.ts), and restarted 3 s later.
 *   - The API is SIGKILLed while Stripe delivers webhooks, repeated and out of order, with payments
 *     caught inside their transactions, and restarted 1 s later; one payment comes a second after its
 *     order expired.
 */
import { apiDuringWebhooks } from './settlement-api-kill.js';
import type { SettlementScenario } from './settlement-run.js';
import { workerAtEachStep } from './settlement-worker-kill.js';

export const settlementScenarios: SettlementScenario[] = [
  {
    name: 'settlement: worker SIGKILL at each step',
    run: workerAtEachStep,
    mustRunAgain: ['openAuctionOrder', 'expireOrder', 'makeSecondChanceOffer', 'answerOffer'],
  },
  { name: 'settlement: API SIGKILL while Stripe delivers webhooks', run: apiDuringWebhooks, mustRunAgain: [] },
];
