/**
 * `npm run stripe:pay -- <orderId>`: plays Stripe for a local `npm start`. stripe-mock makes Checkout
 * Sessions but nobody pays on them and it sends no webhooks, so this sends the API the signed
 * `checkout.session.completed` Stripe would send once the buyer paid: the order's total and currency,
 * its latest Checkout Session's id, signed with the development webhook secret. The API then treats it
 * as any payment (docs/settlement.md). For the local stack only: it reads the order from its Postgres.
 */
import { desc, eq } from 'drizzle-orm';
import { DEVELOPMENT_STRIPE_WEBHOOK_SECRET } from '../config/env.js';
import { openDatabase } from '../db/pool.js';
import { checkoutSessions, orders } from '../db/settlement-schema.js';
import { profiles, serviceEnv } from './stack/profiles.js';
import { deliverStripeEvent, paidCheckoutSession, signStripeEvent } from './stripe-events.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const orderId = process.argv[2] ?? '';
if (!UUID.test(orderId)) {
  process.stderr.write('usage: npm run stripe:pay -- <orderId>   (with npm start running)\n');
  process.exit(2);
}
const apiUrl = process.env.GAVEL_API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;

const { db, pool } = openDatabase(serviceEnv(profiles.dev).DATABASE_URL!, 1);
try {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw new Error(`no order ${orderId} in the local database`);
  const [session] = await db
    .select({ id: checkoutSessions.id })
    .from(checkoutSessions)
    .where(eq(checkoutSessions.orderId, orderId))
    .orderBy(desc(checkoutSessions.attempt))
    .limit(1);
  const event = paidCheckoutSession(order, session ? { id: session.id } : {});
  const response = await deliverStripeEvent(apiUrl, signStripeEvent(event, DEVELOPMENT_STRIPE_WEBHOOK_SECRET));
  process.stdout.write(`${response.status} ${await response.text()}\n`);
  process.exitCode = response.ok ? 0 : 1;
} finally {
  await pool.end();
}
