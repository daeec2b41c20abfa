/**
 * Checkout: a Stripe Checkout Session for an order awaiting payment, for its buyer only. A session
 * still open (for more than a few minutes) is handed out again rather than making a second one; a new
 * one is a new attempt with its own idempotency key, so a retried request never makes two sessions.
 */
import { and, desc, eq } from 'drizzle-orm';
import Stripe from 'stripe';
import type { Database } from '../../db/pool.js';
import { auctions, sales } from '../../db/schema.js';
import { checkoutSessions } from '../../db/settlement-schema.js';
import { checkoutExpiresAt, CHECKOUT_REUSE_MARGIN_MS } from '../../domain/settlement/checkout.js';
import { isPayable, type Order } from '../../domain/settlement/order.js';
import { AppError } from '../errors.js';
import { DependencyUnavailable } from '../unavailable.js';
import { readOrderOf } from './orders.js';

export interface CheckoutDeps {
  db: Database;
  stripe: Stripe;
  /** Where Stripe sends the buyer back to. */
  publicUrl: string;
}

export interface Checkout {
  checkoutUrl: string;
  sessionId: string;
  expiresAt: string;
}

export async function startCheckout(deps: CheckoutDeps, userId: string, orderId: string): Promise<Checkout> {
  const order = await readOrderOf(deps.db, userId, orderId);
  if (order.buyerId !== userId) throw new AppError(403, 'NOT_BUYER', 'Only the buyer can pay for this order');
  if (!isPayable(order.status)) {
    throw new AppError(409, 'ORDER_NOT_PAYABLE', `The order is ${order.status}: there is nothing to pay`, {
      status: order.status,
    });
  }
  const [latest] = await deps.db
    .select()
    .from(checkoutSessions)
    .where(eq(checkoutSessions.orderId, orderId))
    .orderBy(desc(checkoutSessions.attempt))
    .limit(1);
  if (latest && latest.expiresAt.getTime() > Date.now() + CHECKOUT_REUSE_MARGIN_MS) return present(latest);

  const title = await titleOf(deps.db, order);
  const attempt = (latest?.attempt ?? 0) + 1;
  try {
    return await openSession(deps, order, title, attempt);
  } catch (error) {
    // The key of this attempt was used with other parameters (expires_at follows the clock): a request
    // at the same time, whose row is then there, or one whose session Stripe made but whose row was
    // never written. The first is the answer; past the second, the next attempt has a key of its own.
    if (!(error instanceof Stripe.errors.StripeIdempotencyError)) throw error;
    const [same] = await sessionRow(deps, orderId, attempt);
    return same ? present(same) : openSession(deps, order, title, attempt + 1);
  }
}

/** What the buyer sees on Stripe's page: the lot's or the sale's title. */
async function titleOf(db: Database, order: Order): Promise<string> {
  if (order.saleId !== null) {
    const [sale] = await db.select({ title: sales.title }).from(sales).where(eq(sales.id, order.saleId));
    return sale?.title ?? 'Flash sale';
  }
  const [auction] = await db
    .select({ title: auctions.title })
    .from(auctions)
    .where(eq(auctions.id, order.auctionId ?? ''));
  return auction?.title ?? 'Auction lot';
}

const sessionRow = (deps: CheckoutDeps, orderId: string, attempt: number) =>
  deps.db
    .select()
    .from(checkoutSessions)
    .where(and(eq(checkoutSessions.orderId, orderId), eq(checkoutSessions.attempt, attempt)));

async function openSession(deps: CheckoutDeps, order: Order, title: string, attempt: number): Promise<Checkout> {
  const orderId = order.id;
  const orderUrl = `${deps.publicUrl}/orders/${orderId}`;
  const session = await deps.stripe.checkout.sessions
    .create(
      {
        mode: 'payment',
        line_items: [
          {
            // A sale's units each at its price; an auction's lot once, at what is due (premium included, a
            // promotion's subsidy taken off).
            quantity: order.quantity,
            price_data: {
              currency: order.currency.toLowerCase(),
              unit_amount: order.amountDue / order.quantity,
              product_data: { name: title },
            },
          },
        ],
        client_reference_id: orderId,
        metadata:
          order.saleId === null ? { orderId, auctionId: order.auctionId ?? '' } : { orderId, saleId: order.saleId },
        // The refund of a late payment and a refund from Stripe's dashboard are matched by the payment.
        payment_intent_data: { metadata: { orderId } },
        expires_at: checkoutExpiresAt(Date.parse(order.payBy), Date.now()),
        success_url: `${orderUrl}?checkout=success`,
        cancel_url: `${orderUrl}?checkout=cancelled`,
      },
      { idempotencyKey: `checkout-${orderId}-${attempt}` },
    )
    .catch(stripeRefusal);
  if (!session.url) throw new AppError(502, 'CHECKOUT_FAILED', 'Stripe made a session without a URL');
  const expiresAt = new Date(session.expires_at * 1000);
  // Two requests at once made the same attempt (and so, by its key, the same session): one row.
  await deps.db
    .insert(checkoutSessions)
    .values({ id: session.id, orderId, attempt, url: session.url, expiresAt })
    .onConflictDoNothing();
  const [stored] = await sessionRow(deps, orderId, attempt);
  return present(stored ?? { id: session.id, url: session.url, expiresAt });
}

const present = (row: { id: string; url: string; expiresAt: Date }): Checkout => ({
  checkoutUrl: row.url,
  sessionId: row.id,
  expiresAt: row.expiresAt.toISOString(),
});

/** Stripe down is a 503 (try again); Stripe refusing the session is a 502 with its message. */
function stripeRefusal(error: unknown): never {
  if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError) {
    throw new DependencyUnavailable(`Stripe: ${error.message}`);
  }
  // Left to the caller, which moves on to the next attempt.
  if (error instanceof Stripe.errors.StripeIdempotencyError) throw error;
  if (error instanceof Stripe.errors.StripeError) {
    throw new AppError(502, 'CHECKOUT_FAILED', `Stripe refused the checkout session: ${error.message}`);
  }
  throw error;
}
