/**
 * Stripe's webhook: the one way a card payment reaches an order. The body is checked against its
 * Stripe-Signature (and the timestamp's tolerance) before anything is read from it. Each event is
 * applied once, in one transaction with what it does: the event's row, the order's change (under its
 * row lock, which decides between this payment and the expiry), the payout, or the refund of a payment
 * the order can no longer take. Then the settlement workflow is told; if Postgres or Temporal is down
 * the answer is 503, Stripe retries, and a repeat of an event already applied only tells the workflow
 * again. docs/settlement.md, "Payments".
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, eq, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import { applyPayment, lockOrder, type Transaction } from '../../db/order-payments.js';
import type { Database } from '../../db/pool.js';
import { orders, payouts, stripeEvents } from '../../db/settlement-schema.js';
import type { Order } from '../../domain/settlement/order.js';
import { saleWorkflowId, settlementWorkflowId } from '../../domain/temporal-names.js';
import { saleOrderPaidSignal } from '../../workflows/sales/definitions.js';
import { orderChangedSignal } from '../../workflows/settlement/definitions.js';
import { isAuctionId as isUuid } from '../auctions/ids.js';
import { AppError } from '../errors.js';
import { DependencyUnavailable } from '../unavailable.js';

export interface StripeWebhookDeps {
  db: Database;
  temporal: Client;
  stripe: Stripe;
  webhookSecret: string;
  sellerFeeBps: number;
}

/** Stripe's own default: a signature older than 5 minutes is a replay. */
const SIGNATURE_TOLERANCE_SECONDS = 300;

export type WebhookOutcome =
  | 'paid'
  | 'already_applied'
  | 'already_paid'
  | 'refunded'
  | 'amount_mismatch_refunded'
  | 'unknown_order_refunded'
  | 'awaiting_async_payment'
  | 'async_payment_failed'
  | 'order_refunded'
  /** A refund for a payment no order holds yet: kept, so that payment's own event never pays an order. */
  | 'refund_recorded'
  /** Part of a payment given back: recorded, the order and its payout unchanged. */
  | 'partial_refund'
  /** A payment Stripe had already refunded (its refund's event came first): the order still awaits one. */
  | 'payment_already_refunded'
  | 'ignored';

export async function handleStripeWebhook(
  deps: StripeWebhookDeps,
  rawBody: Buffer | undefined,
  signature: string | undefined,
): Promise<{ outcome: WebhookOutcome }> {
  const event = verified(deps, rawBody, signature);
  const applied = await applyOnce(deps, event);
  // Told after the commit; a repeat tells it again, in case the first time found Temporal down.
  if (applied.orderId && applied.notify) await tellSettlement(deps, applied.orderId);
  return { outcome: applied.outcome };
}

function verified(deps: StripeWebhookDeps, rawBody: Buffer | undefined, signature: string | undefined): Stripe.Event {
  if (!rawBody || !signature) {
    throw new AppError(400, 'INVALID_SIGNATURE', 'A Stripe webhook needs its raw JSON body and Stripe-Signature');
  }
  try {
    return deps.stripe.webhooks.constructEvent(rawBody, signature, deps.webhookSecret, SIGNATURE_TOLERANCE_SECONDS);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new AppError(400, 'INVALID_SIGNATURE', 'The Stripe-Signature does not match the body, or is too old');
    }
    throw new AppError(400, 'INVALID_SIGNATURE', 'The body is not a Stripe event');
  }
}

interface Applied {
  outcome: WebhookOutcome;
  orderId: string | null;
  /** Whether the settlement workflow should re-read the order. */
  notify: boolean;
}

async function applyOnce(deps: StripeWebhookDeps, event: Stripe.Event): Promise<Applied> {
  const subject = subjectOf(event);
  if (!subject) return { outcome: 'ignored', orderId: null, notify: false };
  const paymentIntentId = 'paymentIntentId' in subject ? subject.paymentIntentId : null;
  return deps.db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type, orderId: subject.orderId, paymentIntentId, outcome: 'applying' })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (!fresh) {
      const [seen] = await tx.select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
      return { outcome: 'already_applied', orderId: seen?.orderId ?? null, notify: seen?.outcome === 'paid' };
    }
    // One payment's events one at a time, even when they name no order (a refund's charge may not).
    if (paymentIntentId) await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`stripe:${paymentIntentId}`}))`);
    const applied = await apply(deps, tx, subject);
    await tx
      .update(stripeEvents)
      .set({ outcome: applied.outcome, orderId: applied.orderId })
      .where(eq(stripeEvents.id, event.id));
    return applied;
  });
}

/** What an event is about, for the types this handles; null for every other type (answered 200, ignored). */
type Subject =
  | {
      kind: 'payment';
      orderId: string | null;
      paymentIntentId: string | null;
      amount: number | null;
      currency: string | null;
    }
  | { kind: 'async_pending'; orderId: string | null }
  | { kind: 'async_failed'; orderId: string | null }
  | { kind: 'refund'; orderId: string | null; paymentIntentId: string | null }
  | { kind: 'partial_refund'; orderId: string | null };

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

function subjectOf(event: Stripe.Event): Subject | null {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object;
      const orderId = session.metadata?.orderId ?? session.client_reference_id ?? null;
      // Completed with a payment still to clear (a bank debit): its async_payment_* event decides.
      if (session.payment_status === 'unpaid') return { kind: 'async_pending', orderId };
      return {
        kind: 'payment',
        orderId,
        paymentIntentId: idOf(session.payment_intent),
        amount: session.amount_total,
        currency: session.currency,
      };
    }
    case 'checkout.session.async_payment_failed':
      return { kind: 'async_failed', orderId: event.data.object.metadata?.orderId ?? null };
    case 'charge.refunded': {
      const charge = event.data.object;
      // Sent for partial refunds too (a goodwill refund from the dashboard): the buyer keeps the lot and
      // the order stays as it is. Only a whole refund undoes a payment.
      if (charge.refunded !== true) return { kind: 'partial_refund', orderId: charge.metadata?.orderId ?? null };
      return {
        kind: 'refund',
        orderId: charge.metadata?.orderId ?? null,
        paymentIntentId: idOf(charge.payment_intent),
      };
    }
    default:
      return null;
  }
}

async function apply(deps: StripeWebhookDeps, tx: Transaction, subject: Subject): Promise<Applied> {
  const order = subject.orderId && isUuid(subject.orderId) ? await lockOrder(tx, subject.orderId) : null;
  const orderId = order?.id ?? null;
  if (subject.kind === 'async_pending') return { outcome: 'awaiting_async_payment', orderId, notify: false };
  if (subject.kind === 'async_failed') return { outcome: 'async_payment_failed', orderId, notify: false };
  if (subject.kind === 'refund') return refundedByStripe(tx, order, subject.paymentIntentId);
  if (subject.kind === 'partial_refund') return { outcome: 'partial_refund', orderId, notify: false };

  const paymentIntentId = subject.paymentIntentId;
  if (!paymentIntentId) return { outcome: 'ignored', orderId, notify: false };
  // The money already went back: paying the order with it would owe the seller a payout for nothing.
  if (await refundRecorded(tx, paymentIntentId)) return { outcome: 'payment_already_refunded', orderId, notify: false };
  if (!order) {
    await refund(deps, paymentIntentId);
    return { outcome: 'unknown_order_refunded', orderId: null, notify: false };
  }
  if (subject.amount !== order.amountDue || subject.currency?.toUpperCase() !== order.currency) {
    await refund(deps, paymentIntentId);
    return { outcome: 'amount_mismatch_refunded', orderId, notify: false };
  }
  const result = await applyPayment(tx, order, { via: 'stripe', paymentIntentId }, deps.sellerFeeBps);
  if (result.outcome === 'paid') return { outcome: 'paid', orderId, notify: true };
  if (result.outcome === 'already_paid') return { outcome: 'already_paid', orderId, notify: true };
  // Expired, cancelled, or another payment paid it: this money goes back.
  await refund(deps, paymentIntentId);
  if (order.status === 'expired' || order.status === 'cancelled') {
    await tx
      .update(orders)
      .set({ status: 'refunded', statusReason: `paid when ${order.status}; the payment was refunded` })
      .where(eq(orders.id, order.id));
  }
  return { outcome: 'refunded', orderId, notify: false };
}

/**
 * A refund made in Stripe (its dashboard, or ours coming back): a paid order it paid is refunded and its
 * payout cancelled. One whose payment no order holds is recorded (its event row keeps the payment's id)
 * for when that payment's own event arrives.
 */
async function refundedByStripe(
  tx: Transaction,
  order: Order | null,
  paymentIntentId: string | null,
): Promise<Applied> {
  if (!paymentIntentId) return { outcome: 'ignored', orderId: order?.id ?? null, notify: false };
  const [paid] = await tx
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.paymentIntentId, paymentIntentId), eq(orders.status, 'paid')))
    .for('update');
  if (!paid) return { outcome: 'refund_recorded', orderId: order?.id ?? null, notify: false };
  await tx.update(orders).set({ status: 'refunded', statusReason: 'refunded in Stripe' }).where(eq(orders.id, paid.id));
  await tx.update(payouts).set({ status: 'cancelled' }).where(eq(payouts.orderId, paid.id));
  return { outcome: 'order_refunded', orderId: paid.id, notify: false };
}

async function refundRecorded(tx: Transaction, paymentIntentId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: stripeEvents.id })
    .from(stripeEvents)
    .where(and(eq(stripeEvents.paymentIntentId, paymentIntentId), eq(stripeEvents.type, 'charge.refunded')))
    .limit(1);
  return row !== undefined;
}

/** Refunds a whole payment; its key makes a retried webhook refund it once. */
async function refund(deps: StripeWebhookDeps, paymentIntentId: string): Promise<void> {
  try {
    await deps.stripe.refunds.create(
      { payment_intent: paymentIntentId },
      { idempotencyKey: `refund-${paymentIntentId}` },
    );
  } catch (error) {
    // Nothing is recorded (the transaction rolls back): Stripe's retry of the webhook refunds it then.
    throw new DependencyUnavailable(`Stripe refund failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The workflow that owns the order: the auction's settlement, or the sale (whose hold becomes a sale). */
async function tellSettlement(deps: StripeWebhookDeps, orderId: string): Promise<void> {
  const [row] = await deps.db
    .select({ auctionId: orders.auctionId, saleId: orders.saleId })
    .from(orders)
    .where(eq(orders.id, orderId));
  if (!row) return;
  const told =
    row.saleId !== null
      ? deps.temporal.workflow.getHandle(saleWorkflowId(row.saleId)).signal(saleOrderPaidSignal, { orderId })
      : deps.temporal.workflow
          .getHandle(settlementWorkflowId(row.auctionId ?? ''))
          .signal(orderChangedSignal, { orderId });
  await told.catch((error: unknown) => {
    // A settlement (or sale) already over (it saw the payment itself) has nothing left to hear.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  });
}
