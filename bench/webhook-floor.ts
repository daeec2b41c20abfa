/**
 * The webhook's floors: the least a signed webhook can cost in express, without the app's middleware,
 * the Stripe SDK or any store. The raw body, the Stripe-Signature checked as Stripe specifies it
 * (HMAC-SHA256 of "<t>.<body>" with the endpoint secret, compared in constant time, t within the
 * tolerance), the event parsed, a small JSON answer. The second floor also sends the one signal the
 * route sends (to the order's settlement), without the route's transaction: how much of the route's
 * time is Temporal's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import express from 'express';
import { listen } from '../api/server.js';
import { settlementWorkflowId } from '../domain/temporal-names.js';
import { orderChangedSignal } from '../workflows/settlement/definitions.js';

export const FLOOR_PATH = '/floor/webhook';
export const SIGNALLING_FLOOR_PATH = '/floor/webhook-signalling';
const TOLERANCE_SECONDS = 300;

function signatureMatches(secret: string, body: Buffer, header: string): boolean {
  const timestamp = /(?:^|,)t=(\d+)/.exec(header)?.[1];
  const given = /(?:^|,)v1=([0-9a-f]{64})/.exec(header)?.[1];
  if (!timestamp || !given) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

interface FloorEvent {
  type?: string;
  data?: { object?: { metadata?: { orderId?: string } } };
}

export interface SignallingDeps {
  temporal: Client;
  /** The auction of an order, from memory: the route reads it from Postgres. */
  auctionOf: (orderId: string) => string | undefined;
}

export function startWebhookFloor(secret: string, signalling: SignallingDeps): Promise<http.Server> {
  const app = express();
  const verified = (req: express.Request, res: express.Response): FloorEvent | null => {
    const body = req.body as Buffer;
    if (signatureMatches(secret, body, req.get('stripe-signature') ?? '')) {
      return JSON.parse(body.toString('utf8')) as FloorEvent;
    }
    res.status(400).json({ error: { code: 'INVALID_SIGNATURE' } });
    return null;
  };
  const raw = express.raw({ type: 'application/json' });
  app.post(FLOOR_PATH, raw, (req, res) => {
    const event = verified(req, res);
    if (event) res.json({ outcome: event.type ? 'ignored' : 'unknown' });
  });
  app.post(SIGNALLING_FLOOR_PATH, raw, async (req, res) => {
    const event = verified(req, res);
    if (!event) return;
    const orderId = event.data?.object?.metadata?.orderId ?? '';
    const auctionId = signalling.auctionOf(orderId);
    if (auctionId) {
      await signalling.temporal.workflow
        .getHandle(settlementWorkflowId(auctionId))
        .signal(orderChangedSignal, { orderId })
        .catch((error: unknown) => {
          // As the route: a settlement already over has nothing left to hear.
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        });
    }
    res.json({ outcome: auctionId ? 'signalled' : 'unknown' });
  });
  return listen(app, '127.0.0.1', 0);
}
