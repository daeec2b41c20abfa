/**
 * The API SIGKILLed while Stripe delivers webhooks, repeated and out of order, with payments caught
 * inside their transactions; restarted 1 s later; then every settlement awaited and checked.
 */
import { stripeEvent, stripeId } from '../../helpers/stripe.js';
import { LockHold } from './lock-hold.js';
import { openSales, type SaleSpec } from './sales.js';
import { verifySettlements } from './settlement-invariants.js';
import {
  countAnswers,
  lastEnd,
  open,
  pause,
  plan,
  SETTLE_WITHIN_MS,
  type SettlementOutcome,
} from './settlement-run.js';
import type { FaultStack } from './stack.js';
import type { StripeEventLike } from './stripe-deliverer.js';

/** Shuffled in place (Fisher–Yates): Stripe promises no order between events. */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

interface OrderFacts {
  id: string;
  auctionId: string;
  total: number;
  currency: string;
  status: string;
  payBy: Date;
  closedAt: Date | null;
}

/** A Checkout Session's event for the order: paid, or (`unpaid`) completed with the money still to clear. */
function session(
  type: 'checkout.session.completed' | 'checkout.session.async_payment_succeeded',
  order: OrderFacts,
  paymentIntent: string,
  { amount = order.total, unpaid = false } = {},
) {
  return stripeEvent(type, {
    id: stripeId('cs_test'),
    object: 'checkout.session',
    client_reference_id: order.id,
    metadata: { orderId: order.id },
    amount_total: amount,
    currency: order.currency.toLowerCase(),
    payment_status: unpaid ? 'unpaid' : 'paid',
    status: 'complete',
    payment_intent: paymentIntent,
  });
}

/**
 * SIGKILL of the API while Stripe's deliveries arrive, each retried until a 2xx. Five orders are paid:
 * one by an event delivered twice, one by an event three times (two copies at once), one twice by two
 * payments, one by a payment of the wrong amount and then the right one, one by a delayed payment whose
 * two events (completed while clearing, succeeded) come in either order. One payment comes a second
 * after its order expired, and one event is of a type the webhook ignores. All in random order, but for
 * the late payment first. The test holds `payouts` in SHARE mode, so the payments wait inside their
 * transactions (the order row locked, marked paid, not committed) until the API dies.
 */
export async function apiDuringWebhooks(stack: FaultStack): Promise<SettlementOutcome> {
  const { pool, deliverer, settle, close } = await open(stack);
  try {
    const quiet = [plan('lapse', 'ignore'), plan('script', 'ignore')];
    const specs: SaleSpec[] = [1, 2, 3, 4, 5].map((n) => ({
      label: `paid-${n}`,
      endsInMs: 2500,
      paymentWindowSeconds: 60,
      plans: quiet,
    }));
    specs.push({
      label: 'late',
      endsInMs: 2500,
      paymentWindowSeconds: 2,
      plans: quiet,
      story: 'b1 order refunded, b0 offer expired',
    });
    const sales = await openSales(stack.apiUrl, specs);
    const late = sales.find((s) => s.label === 'late')!;

    // The buyers are told (payment_due) before they pay; the late buyer pays a second after the expiry.
    const facts = async () =>
      (
        await pool.query<{
          id: string;
          auction_id: string;
          total: string;
          currency: string;
          status: string;
          pay_by: Date;
          closed_at: Date | null;
          told: boolean;
        }>(
          `SELECT o.id, o.auction_id, o.total, o.currency, o.status, o.pay_by, o.closed_at,
                  EXISTS (SELECT 1 FROM notifications n WHERE n.type = 'payment_due' AND n.data->>'orderId' = o.id::text) AS told
             FROM orders o WHERE o.auction_id = ANY($1::uuid[]) AND o.kind = 'auction'`,
          [sales.map((s) => s.auctionId)],
        )
      ).rows;
    let orders = await facts();
    const deadline = Date.now() + 30_000;
    while (
      (orders.length < sales.length ||
        orders.some((o) => !o.told) ||
        orders.find((o) => o.auction_id === late.auctionId)?.status !== 'expired') &&
      Date.now() < deadline
    ) {
      await pause(100);
      orders = await facts();
    }
    const byLabel = new Map(
      orders.map((o) => {
        const label = sales.find((s) => s.auctionId === o.auction_id)!.label;
        const order: OrderFacts = {
          id: o.id,
          auctionId: o.auction_id,
          total: Number(o.total),
          currency: o.currency,
          status: o.status,
          payBy: o.pay_by,
          closedAt: o.closed_at,
        };
        return [label, order] as const;
      }),
    );
    const order = (label: string) => {
      const found = byLabel.get(label);
      if (!found) throw new Error(`${label}: no order by ${new Date().toISOString()}`);
      return found;
    };
    const expiredAt = order('late').closedAt?.getTime();
    if (expiredAt === undefined || order('late').status !== 'expired') throw new Error('the late order did not expire');

    const pi = () => stripeId('pi');
    const [pi2, pi4] = [pi(), pi()];
    const paid1 = session('checkout.session.completed', order('paid-1'), pi());
    const paid4 = session('checkout.session.completed', order('paid-4'), pi4);
    // Each entry is sent at its own moment, the copies inside one at the same moment.
    const entries: StripeEventLike[][] = shuffle<StripeEventLike[]>([
      [paid1],
      [session('checkout.session.async_payment_succeeded', order('paid-2'), pi2)],
      [session('checkout.session.completed', order('paid-2'), pi2, { unpaid: true })],
      [session('checkout.session.completed', order('paid-3'), pi())],
      [session('checkout.session.completed', order('paid-3'), pi())],
      [paid4, paid4],
      [paid4],
      [session('checkout.session.completed', order('paid-5'), pi(), { amount: order('paid-5').total - 1 })],
      [session('checkout.session.completed', order('paid-5'), pi())],
      [stripeEvent('customer.created', { id: stripeId('cus'), object: 'customer' })],
    ]);
    // paid-1's event once more, last: Stripe repeats a whole delivery it thinks failed.
    entries.push([paid1]);
    // The late payment first, a second after its order expired.
    entries.unshift([session('checkout.session.completed', order('late'), pi())]);

    await pause(Math.max(0, expiredAt + 1000 - Date.now()));
    const payoutsHold = await LockHold.take(stack.env.DATABASE_URL!, [{ text: 'LOCK TABLE payouts IN SHARE MODE' }]);
    const sending = entries.map(async (copies, i) => {
      await pause(i * 25);
      await Promise.all(copies.map((event) => deliverer.deliver(event)));
    });
    const caught = await payoutsHold.waitForWaiters(pool, 5, Date.now() + 2000);
    const faultAt = Date.now();
    await stack.kill('api');
    await payoutsHold.release();
    await pause(1000);
    await stack.restart('api');
    await Promise.all(sending);

    const settled = await settle(sales, faultAt + SETTLE_WITHIN_MS);
    // The stories say the rest: every payment within its window paid its order, the late one was refunded.
    const verdict = await verifySettlements(pool, sales, settled, deliverer.deliveries);
    const copiesResent = deliverer.deliveries.reduce((n, d) => n + Math.max(0, d.answers.length - 1), 0);
    return {
      scenario: 'settlement: API SIGKILL while Stripe delivers webhooks (repeated, out of order), restarted 1 s later',
      sales: sales.length,
      ...verdict,
      inFlight: { 'payments inside their transactions': caught },
      ranAgain: { 'webhook deliveries resent': copiesResent },
      webhookAnswers: countAnswers(deliverer.deliveries),
      peopleAnswers: {},
      faultToSettledMs: lastEnd(settled) - faultAt,
    };
  } finally {
    await close();
  }
}
