/**
 * The people of the settlement scenarios, acting on what they are told as people do: a buyer who means
 * to pay opens the checkout when the payment_due notice comes, and Stripe then sends the payment's
 * webhook; a bidder offered the lot accepts or declines when the offer's notice comes. Their inboxes
 * are read from Postgres (the API may be down: the API scenario kills it). A request whose answer is
 * lost is sent again until a definite one comes.
 */
import type pg from 'pg';
import { call } from '../../helpers/http.js';
import { stripeEvent, stripeId } from '../../helpers/stripe.js';
import type { Bidder, Sale } from './sales.js';
import type { StripeDeliverer } from './stripe-deliverer.js';

export interface ActFigures {
  /** Answers to the checkout and offer requests, by status (`network` for a lost one). */
  answers: Record<string, number>;
  payments: number;
}

interface Notice {
  id: string;
  user_id: string;
  auction_id: string;
  type: 'payment_due' | 'second_chance_offer';
  data: { orderId?: string; offerId?: string };
}

const POLL_MS = 150;
const RETRY_MS = 200;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startActors(options: { url: () => string; pool: pg.Pool; deliverer: StripeDeliverer; sales: Sale[] }) {
  const { url, pool, deliverer, sales } = options;
  const figures: ActFigures = { answers: {}, payments: 0 };
  const bidderOf = new Map<string, Bidder>(sales.flatMap((sale) => sale.bidders.map((b) => [b.id, b] as const)));
  const acting: Promise<void>[] = [];
  // Every notice is read each time, not those after the last id seen: a notice held inside its
  // statement (the scenario's lock) commits late, with an id lower than others already read.
  const seen = new Set<string>();
  let stopped = false;

  /** Sends until the answer is definite (not lost, not a 5xx or 429); null if it never was. */
  const until = async <T>(path: string, token: string): Promise<{ status: number; body: T } | null> => {
    for (let attempt = 0; attempt < 300 && !stopped; attempt++) {
      try {
        const answer = await call<T>(`${url()}${path}`, { method: 'POST', token });
        figures.answers[answer.status] = (figures.answers[answer.status] ?? 0) + 1;
        if (answer.status < 500 && answer.status !== 429) return answer;
      } catch {
        figures.answers.network = (figures.answers.network ?? 0) + 1;
      }
      await pause(RETRY_MS);
    }
    return null;
  };

  const pay = async (buyer: Bidder, orderId: string) => {
    const checkout = await until<{ sessionId: string }>(`/v1/orders/${orderId}/checkout`, buyer.token);
    if (checkout?.status !== 201) return;
    const { rows } = await pool.query<{ total: string; currency: string }>(
      'SELECT total, currency FROM orders WHERE id = $1',
      [orderId],
    );
    const order = rows[0]!;
    figures.payments += 1;
    await deliverer.deliver(
      stripeEvent('checkout.session.completed', {
        id: checkout.body.sessionId,
        object: 'checkout.session',
        client_reference_id: orderId,
        metadata: { orderId },
        amount_total: Number(order.total),
        currency: order.currency.toLowerCase(),
        payment_status: 'paid',
        status: 'complete',
        payment_intent: stripeId('pi'),
      }),
    );
  };

  const act = async (notice: Notice) => {
    const bidder = bidderOf.get(notice.user_id);
    if (!bidder) return;
    if (notice.type === 'payment_due' && bidder.plan.order === 'pay' && notice.data.orderId) {
      await pay(bidder, notice.data.orderId);
    } else if (notice.type === 'second_chance_offer' && notice.data.offerId && bidder.plan.offer !== 'ignore') {
      await until(`/v1/offers/${notice.data.offerId}/${bidder.plan.offer}`, bidder.token);
    }
  };

  const polling = (async () => {
    while (!stopped) {
      const { rows } = await pool.query<Notice>(
        `SELECT id::text, user_id, auction_id, type, data FROM notifications
          WHERE auction_id = ANY($1::uuid[]) AND type IN ('payment_due', 'second_chance_offer')
          ORDER BY id`,
        [sales.map((s) => s.auctionId)],
      );
      for (const notice of rows.filter((n) => !seen.has(n.id))) {
        seen.add(notice.id);
        acting.push(act(notice));
      }
      await pause(POLL_MS);
    }
  })();

  return {
    figures,
    stop: async () => {
      stopped = true;
      await polling;
      // A request still waiting on a settlement that never ends would hold the scenario for minutes.
      await Promise.race([Promise.all(acting), pause(5000)]);
    },
  };
}
