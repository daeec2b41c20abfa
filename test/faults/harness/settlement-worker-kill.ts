/**
 * The worker SIGKILLed once with every step of settlement in flight (a lock of the test's holds each
 * step mid-way: lock-hold.ts), restarted 3 s later; then every settlement awaited and checked.
 */
import { call } from '../../helpers/http.js';
import { startReceiver, status } from '../../helpers/webhook-receiver.js';
import { LockHold } from './lock-hold.js';
import { openSales, winnerOf, type Sale, type SaleSpec } from './sales.js';
import { startActors } from './settlement-actors.js';
import { verifySettlements } from './settlement-invariants.js';
import {
  countAnswers,
  lastEnd,
  open,
  pause,
  plan,
  sale,
  SETTLE_WITHIN_MS,
  type SettlementOutcome,
} from './settlement-run.js';
import { retriedActivities } from './settlement-workflows.js';
import type { FaultStack } from './stack.js';

async function registerWebhook(url: string, user: { token: string }, hook: string, types: string[]): Promise<string> {
  const made = await call<{ id: string }>(`${url}/v1/users/me/webhooks`, {
    token: user.token,
    body: { url: hook, types },
  });
  if (made.status !== 201) throw new Error(`webhook answered ${made.status}: ${JSON.stringify(made.body)}`);
  return made.body.id;
}

const rowLock = (ids: string[]) => [
  { text: 'SELECT id FROM webhooks WHERE id = ANY($1::uuid[]) FOR UPDATE', values: [ids] },
];

/**
 * A step caught after its commit: its notice of `type` to `whom` waits for the test's lock on their
 * webhook row (a webhook for that type alone, so no other notice of theirs waits).
 */
interface HeldNotice {
  step: string;
  sales: SaleSpec[];
  whom: (sale: Sale) => { token: string };
  type: string;
}

/**
 * One SIGKILL of the worker with each step of settlement in flight, restarted 3 s later:
 *   - the close: three auctions end together while the test holds `orders` in SHARE mode, so each
 *     close's openAuctionOrder waits inside its transaction, before its commit;
 *   - payBy: two orders expire while the test holds their buyers' webhook rows, so each expireOrder has
 *     committed the expiry and the strike and waits in its notice, after its commit;
 *   - offers: two automatic offers go out while the test holds the offered bidders' webhook rows, so
 *     each makeSecondChanceOffer has committed its offer and waits in its notice;
 *   - an acceptance: an offer is accepted while the test holds the bidder's webhook row, so
 *     answerOffer has committed the new order and waits in its payment_due notice.
 * The buyers and bidders then pay, accept, decline or let things lapse as each sale's plans say.
 */
export async function workerAtEachStep(stack: FaultStack): Promise<SettlementOutcome> {
  const { pool, client, deliverer, settle, close } = await open(stack);
  const receiver = await startReceiver([status(200)]);
  try {
    // A bidder who neither pays nor answers.
    const idle = plan('lapse', 'ignore');
    const held: HeldNotice[] = [
      {
        step: 'offers: makeSecondChanceOffer, after its commit',
        sales: [
          sale('offers-1', 2500, 3, plan('pay', 'accept'), plan('pay', 'accept'), idle),
          sale('offers-2', 2500, 3, idle, plan('pay', 'accept'), idle),
        ],
        whom: (s) => s.bidders[1]!,
        type: 'second_chance_offer',
      },
      {
        step: 'an acceptance: answerOffer, after its commit',
        sales: [sale('accept-1', 2500, 3, idle, plan('pay', 'accept'), idle)],
        whom: (s) => s.bidders[1]!,
        type: 'payment_due',
      },
      {
        step: 'payBy: expireOrder, after its commit',
        sales: [
          sale('payBy-1', 3500, 3, plan('pay', 'accept'), plan('lapse', 'accept'), idle),
          sale('payBy-2', 3500, 3, idle, plan('lapse', 'decline'), idle),
        ],
        whom: (s) => winnerOf(s),
        type: 'order_unpaid',
      },
    ];
    const closing = [
      sale('close-1', 11_000, 3, idle, idle, plan('pay', 'ignore')),
      sale('close-2', 11_000, 3, idle, plan('pay', 'accept'), idle),
      sale('close-3', 11_200, 3, plan('lapse', 'decline'), idle, idle),
    ];
    const sales = await openSales(stack.apiUrl, [...held.flatMap((h) => h.sales), ...closing]);
    const salesOf = (specs: SaleSpec[]) => sales.filter((s) => specs.some((spec) => spec.label === s.label));
    const holds = await Promise.all(
      held.map(async (h) => {
        const hooks = await Promise.all(
          salesOf(h.sales).map((s) => registerWebhook(stack.apiUrl, h.whom(s), receiver.url, [h.type])),
        );
        return LockHold.take(stack.env.DATABASE_URL!, rowLock(hooks));
      }),
    );
    const actors = startActors({ url: () => stack.apiUrl, pool, deliverer, sales });

    // The held steps first (each waits, caught), then the close, with `orders` held.
    const closeAt = Math.min(...salesOf(closing).map((s) => s.endsAtMs));
    const inFlight: Record<string, number> = {};
    for (const [i, h] of held.entries()) {
      inFlight[h.step] = await holds[i]!.waitForWaiters(pool, h.sales.length, closeAt - 1500);
    }
    const ordersHold = await LockHold.take(stack.env.DATABASE_URL!, [{ text: 'LOCK TABLE orders IN SHARE MODE' }]);
    inFlight['the close: openAuctionOrder, before its commit'] = await ordersHold.waitForWaiters(
      pool,
      closing.length,
      closeAt + 5000,
    );

    const faultAt = Date.now();
    await stack.kill('worker');
    await Promise.all([ordersHold, ...holds].map((hold) => hold.release()));
    await pause(3000);
    await stack.restart('worker');

    const settled = await settle(sales, faultAt + SETTLE_WITHIN_MS);
    await actors.stop();
    const verdict = await verifySettlements(pool, sales, settled, deliverer.deliveries);
    return {
      scenario:
        'settlement: worker SIGKILL at the close, at payBy, while offers go out and one is accepted; restarted 3 s later',
      sales: sales.length,
      ...verdict,
      inFlight,
      ranAgain: await retriedActivities(
        client,
        sales.map((s) => s.auctionId),
      ),
      webhookAnswers: countAnswers(deliverer.deliveries),
      peopleAnswers: actors.figures.answers,
      faultToSettledMs: lastEnd(settled) - faultAt,
    };
  } finally {
    await receiver.close();
    await close();
  }
}
