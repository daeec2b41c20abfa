/**
 * One settlement workflow on the time-skipping test server (helpers/time-skipping.ts), started by itself
 * as a sold close would start it: the winner's order made in the fake (helpers/fake-settlement.ts) at the
 * server's now, and the workflow given that order's clock. What the run saw is read back from its own
 * slice of the fake's records, so a test compares times and calls of its settlement only.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { BidMaximum } from '../../domain/settlement/offer.js';
import type { Order } from '../../domain/settlement/order.js';
import type { SettlementInput } from '../../domain/settlement/workflow.js';
import { settlementWorkflowId } from '../../domain/temporal-names.js';
import { orderPayByKey, orderStatusKey, settlementPhaseKey } from '../../workflows/search-attributes.js';
import { settlementWorkflow } from '../../workflows/settlement/settlement.js';
import type { FakeNotice, FakeSettlement, RecordedCall } from './fake-settlement.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** How late (server time) a call may come after its moment: the real milliseconds of a workflow task or two. */
export const SLACK_MS = 2 * SECOND;

export interface SettlementPlan {
  paymentWindowMs: number;
  hammerPrice?: number;
  /** Every bid of the auction, the winner's included (the winner never gets an offer). */
  bids?: BidMaximum[];
  winnerId?: string;
  autoSecondChance?: boolean;
  offerWindowSeconds?: number;
  sellerDecisionSeconds?: number;
  /** The webhook paid the order before the settlement started (its signal then found no workflow). */
  paidBeforeStart?: boolean;
}

export interface SettlementRun {
  auctionId: string;
  sellerId: string;
  winnerId: string;
  /** The winner's order, as the fake holds it (its status follows the fake). */
  order: Order;
  input: SettlementInput;
  handle: WorkflowHandle<typeof settlementWorkflow>;
  /** The activity calls of this run, in order. */
  calls(): RecordedCall[];
  /** The notices of this run, in order. */
  notices(): FakeNotice[];
}

/** Starts a settlement of a new auction on `taskQueue`, its order made at the server's now. */
export async function startSettlement(
  env: TestWorkflowEnvironment,
  fake: FakeSettlement,
  taskQueue: string,
  plan: SettlementPlan,
): Promise<SettlementRun> {
  const auctionId = randomUUID();
  const winnerId = plan.winnerId ?? randomUUID();
  const callsFrom = fake.calls.length;
  const noticesFrom = fake.notices.length;
  const nowMs = await env.currentTimeMs();
  const { sellerId, order, input } = fake.soldClose(
    {
      auctionId,
      winnerId,
      hammerPrice: plan.hammerPrice ?? 25_000,
      paymentWindowSeconds: plan.paymentWindowMs / SECOND,
      autoSecondChance: plan.autoSecondChance,
      bids: plan.bids,
      offerWindowSeconds: plan.offerWindowSeconds ?? (2 * DAY) / SECOND,
      sellerDecisionSeconds: plan.sellerDecisionSeconds ?? (30 * DAY) / SECOND,
    },
    nowMs,
  );
  if (plan.paidBeforeStart) fake.pay(order.id, nowMs);
  const handle = await env.client.workflow.start(settlementWorkflow, {
    workflowId: settlementWorkflowId(auctionId),
    taskQueue,
    args: [input],
  });
  return {
    auctionId,
    sellerId,
    winnerId,
    order,
    input,
    handle,
    calls: () => fake.calls.slice(callsFrom),
    notices: () => fake.notices.slice(noticesFrom),
  };
}

/** `name` or `name:detail`, the shape tests compare call lists in. */
export const callNames = (calls: RecordedCall[]) =>
  calls.map((c) => (c.detail === undefined ? c.name : `${c.name}:${c.detail}`));

/** `type:userId`, in order. */
export const noticeNames = (notices: FakeNotice[]) => notices.map((n) => `${n.type}:${n.userId}`);

/** Asserts that `call` came at `moment` of the server's clock, or up to SLACK_MS after it: never before. */
export function assertAt(call: { atMs: number } | undefined, moment: number, what: string): void {
  assert.ok(call, `${what}: no such call`);
  const late = call.atMs - moment;
  assert.ok(
    late >= 0 && late <= SLACK_MS,
    `${what}: at ${new Date(call.atMs).toISOString()}, ${late} ms from its moment ${new Date(moment).toISOString()}`,
  );
}

/** What an operator sees of a settlement in the Temporal UI: its three search attributes. */
export async function searchAttributesOf(handle: WorkflowHandle): Promise<{
  phase: string | undefined;
  orderStatus: string | undefined;
  payBy: string | undefined;
}> {
  const attributes = (await handle.describe()).typedSearchAttributes;
  return {
    phase: attributes.get(settlementPhaseKey),
    orderStatus: attributes.get(orderStatusKey),
    payBy: attributes.get(orderPayByKey)?.toISOString(),
  };
}
