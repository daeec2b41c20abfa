/**
 * One fault scenario: a live auction under a retrying bid load and an SSE follower; the fault strikes
 * while bids flow, the auction's end falls during or just after it, then everything is checked.
 */
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { auctionWorkflowId } from '../../../domain/temporal-names.js';
import type { auctionWorkflow } from '../../../workflows/auction.js';
import { call, signUp, type AuctionJson } from '../../helpers/http.js';
import { runBidLoad } from './bidders.js';
import { verifyAuction, type Verdict } from './invariants.js';
import { followEvents } from './sse-follower.js';
import type { FaultStack } from './stack.js';

export interface Scenario {
  name: string;
  /** The scheduled end, from the auction's creation. */
  endsInMs: number;
  /** When the fault strikes, from the auction's creation. */
  faultAtMs: number;
  fault: (stack: FaultStack) => Promise<void>;
}

export interface Outcome extends Verdict {
  scenario: string;
  retries: number;
  unresolved: number;
  reconnects: number;
  answers: Record<string, number>;
  /** From the fault striking to the result being readable. */
  recoveryMs: number;
  /** When the fault struck and when the service was back (ready), in epoch ms. */
  faultFromMs: number;
  faultToMs: number;
}

const BIDDERS = 6;
const STARTING_PRICE = 1_000;
const RESERVE_PRICE = 50_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runScenario(stack: FaultStack, scenario: Scenario): Promise<Outcome> {
  const url = () => stack.apiUrl;
  const seller = await signUp(url(), 'seller');
  const bidders = await Promise.all(Array.from({ length: BIDDERS }, (_, i) => signUp(url(), `bidder${i}`)));
  const createdAt = Date.now();
  const created = await call<AuctionJson>(`${url()}/v1/auctions`, {
    token: seller.token,
    body: {
      title: `Fault: ${scenario.name}`,
      startingPrice: STARTING_PRICE,
      reservePrice: RESERVE_PRICE,
      endsAt: new Date(createdAt + scenario.endsInMs).toISOString(),
      softClose: { windowSeconds: 1, extendSeconds: 1 },
    },
  });
  if (created.status !== 201) throw new Error(`create answered ${created.status}: ${JSON.stringify(created.body)}`);
  const auctionId = created.body.id;
  const follower = followEvents(url, auctionId);

  let faultStartedAt = 0;
  let faultEndedAt = 0;
  const fault = (async () => {
    await pause(scenario.faultAtMs - (Date.now() - createdAt));
    faultStartedAt = Date.now();
    await scenario.fault(stack);
    faultEndedAt = Date.now();
  })();
  const load = runBidLoad({
    url,
    auctionId,
    bidders,
    startingPrice: STARTING_PRICE,
    // Past the scheduled end: bids in the soft-close window extend it, then the load stops and it closes.
    stopNewBidsAt: createdAt + scenario.endsInMs + 1500,
    giveUpAt: createdAt + 180_000,
  });
  const [figures] = await Promise.all([load, fault]);

  const workflowResult = await resultOf(stack, auctionId);
  const recoveryMs = Date.now() - faultStartedAt;
  await Promise.race([follower.finished, pause(30_000)]);
  follower.stop();

  const pool = new pg.Pool({ connectionString: stack.env.DATABASE_URL, max: 1 });
  try {
    const verdict = await verifyAuction(pool, auctionId, figures.acknowledged, follower.events, workflowResult);
    return {
      scenario: scenario.name,
      ...verdict,
      retries: figures.retries,
      unresolved: figures.unresolved,
      reconnects: follower.reconnects(),
      answers: figures.answers,
      recoveryMs,
      faultFromMs: faultStartedAt,
      faultToMs: faultEndedAt,
    };
  } finally {
    await pool.end();
  }
}

/** The workflow's own result: waits for the close, across a Temporal restart if need be. */
async function resultOf(stack: FaultStack, auctionId: string) {
  const connection = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection });
    const handle = client.workflow.getHandle<typeof auctionWorkflow>(auctionWorkflowId(auctionId));
    const final = await handle.result();
    return final.status === 'closed' ? final.result : null;
  } finally {
    await connection.close();
  }
}
