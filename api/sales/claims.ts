/**
 * Claiming units: the hot path of a flash sale. The sale's terms come from memory (terms.ts), a
 * challenge is checked in memory (challenge.ts), and one script call decides the claim in Redis; the
 * answer goes straight back. No Postgres read: the sale workflow writes the order later, from the
 * script's log. Only the claim whose hold set the wake flag signals the workflow, without waiting: if
 * that signal is lost, the flag expires and the next claim, or the workflow's periodic look, picks the
 * holds up.
 */
import { randomUUID } from 'node:crypto';
import { saleTotal } from '../../domain/sales/sale.js';
import { saleWorkflowId } from '../../domain/temporal-names.js';
import type { ClaimResult } from '../../lua/sale-store.js';
import { claimsPendingSignal } from '../../workflows/sales/definitions.js';
import { AppError } from '../errors.js';
import { verifyChallenge, type ChallengePolicy } from './challenge.js';
import type { ClaimedUnits } from './responses.js';
import { findSaleTerms, type SaleDeps } from './service.js';

export interface ClaimInput {
  saleId: string;
  userId: string;
  quantity: number;
  idempotencyKey: string | null;
  /** The X-Altcha header, as sent. */
  challenge: string | undefined;
}

type Refusal = Extract<ClaimResult, { outcome: 'refused' }>;

const REFUSAL_MESSAGE: Record<Refusal['code'], string> = {
  SALE_NOT_OPEN: 'The sale is not open for claims',
  SELLER_CANNOT_BUY: 'A seller cannot buy from their own sale',
  LIMIT_REACHED: "This claim would take you past the sale's per-user limit (units held and bought count)",
  SOLD_OUT: 'Not enough units are available; join the waitlist while waitlistOpen is true',
  CHALLENGE_USED: 'This challenge was used already: get a new one',
};

function refusal(result: Refusal): AppError {
  const message = REFUSAL_MESSAGE[result.code];
  if (result.code === 'SELLER_CANNOT_BUY') return new AppError(403, result.code, message);
  if (result.code === 'CHALLENGE_USED') return new AppError(409, result.code, message);
  return new AppError(409, result.code, message, {
    available: result.counts.available,
    waitlistOpen: result.waitlistOpen,
  });
}

export async function claimUnits(deps: SaleDeps, policy: ChallengePolicy, input: ClaimInput): Promise<ClaimedUnits> {
  const terms = await findSaleTerms(deps, input.saleId);
  const saleId = terms.id; // as Postgres spells it: the Redis keys are named by it
  const solution = terms.requireChallenge ? await verifyChallenge(policy, saleId, input.challenge) : null;
  const result = await deps.store.claim(saleId, {
    userId: input.userId,
    quantity: input.quantity,
    orderId: randomUUID(),
    idempotencyKey: input.idempotencyKey,
    solution,
  });
  // The sale exists, but Redis no longer holds it: it finished over a week ago (SALE_STATE_RETENTION_MS).
  if (result.outcome === 'missing') {
    throw new AppError(409, 'SALE_NOT_OPEN', REFUSAL_MESSAGE.SALE_NOT_OPEN, { available: 0, waitlistOpen: false });
  }
  if (result.outcome === 'refused') throw refusal(result);
  // Coalesced in memory and appended later: the claim does not wait for the listing.
  deps.listing.notes.saleCounts(saleId, result.version, result.counts.available);
  if (result.wake) signalClaimsPending(deps, saleId, result.seq, result.holdExpiresAtMs);
  return {
    orderId: result.orderId,
    saleId,
    quantity: result.quantity,
    total: saleTotal(terms.price, result.quantity),
    currency: terms.currency,
    holdExpiresAt: new Date(result.holdExpiresAtMs).toISOString(),
  };
}

/** Wakes the sale workflow for the holds up to `seq`, without waiting; a lost signal is logged, not thrown. */
export function signalClaimsPending(
  deps: Pick<SaleDeps, 'temporal' | 'logger'>,
  saleId: string,
  seq: number,
  holdExpiresAtMs: number,
): void {
  deps.temporal.workflow
    .getHandle(saleWorkflowId(saleId))
    .signal(claimsPendingSignal, { seq, holdExpiresAtMs })
    .catch((error: unknown) => deps.logger.warn({ err: error, saleId }, 'claimsPending signal failed'));
}
