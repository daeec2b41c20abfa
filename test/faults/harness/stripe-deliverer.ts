/**
 * Stripe's side of the webhook, as Stripe behaves: each event is signed afresh for every attempt and
 * sent again until it is answered 2xx (a refused or reset connection, a 5xx or a 429 is not an answer).
 * Every answer is kept, so the checks can see how often an event was applied and what each copy heard.
 */
import { signedStripeEvent } from '../../helpers/stripe.js';
import { deliverStripeEvent } from '../../../scripts/stripe-events.js';

export interface Delivery {
  eventId: string;
  type: string;
  /** What the event pays or refunds, when it names an order (the checks match payments by these). */
  orderId: string | null;
  paymentIntentId: string | null;
  /** Whether it is a payment (money came in for the order), as the webhook sees it. */
  payment: boolean;
  /** Every answer in turn: the status, or `network`. */
  answers: string[];
  /** The outcome of the 2xx answer that ended it; null when it never got one. */
  outcome: string | null;
}

/** Any event envelope (test/helpers/stripe.ts makes them): only its id, type and object are read. */
export interface StripeEventLike {
  id: string;
  type: string;
  data: { object: object };
}

const RETRY_MS = 200;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class StripeDeliverer {
  readonly deliveries: Delivery[] = [];

  constructor(
    private readonly url: () => string,
    private readonly secret: string,
    private readonly giveUpAfterMs = 120_000,
  ) {}

  /** Posts one copy of `event` until a 2xx; a copy sent twice is two calls (Stripe repeats whole deliveries). */
  async deliver(event: StripeEventLike): Promise<Delivery> {
    const delivery = describe(event);
    this.deliveries.push(delivery);
    const body = JSON.stringify(event);
    const giveUpAt = Date.now() + this.giveUpAfterMs;
    while (Date.now() < giveUpAt) {
      const signed = signedStripeEvent(body, { secret: this.secret });
      try {
        const response = await deliverStripeEvent(this.url(), signed);
        delivery.answers.push(String(response.status));
        const answer = (await response.json().catch(() => ({}))) as { outcome?: string };
        if (response.ok) {
          delivery.outcome = answer.outcome ?? null;
          return delivery;
        }
        // Any other 4xx would only come again (a signature the API refuses): the checks count it unanswered.
        if (response.status < 500 && response.status !== 429) return delivery;
      } catch {
        delivery.answers.push('network');
      }
      await pause(RETRY_MS);
    }
    return delivery;
  }
}

function describe(event: StripeEventLike): Delivery {
  const object = event.data.object as Record<string, unknown>;
  const metadata = (object.metadata ?? {}) as { orderId?: string };
  const paymentIntent = typeof object.payment_intent === 'string' ? object.payment_intent : null;
  const payment =
    (event.type === 'checkout.session.completed' && object.payment_status !== 'unpaid') ||
    event.type === 'checkout.session.async_payment_succeeded';
  return {
    eventId: event.id,
    type: event.type,
    orderId: metadata.orderId ?? null,
    paymentIntentId: paymentIntent,
    payment,
    answers: [],
    outcome: null,
  };
}
