/** Use cases behind the sale routes: create, read, cancel. Plain inputs in, plain objects out, AppError for refusals. */
import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../../db/pool.js';
import { sales } from '../../db/sales-schema.js';
import type { SaleWorkflowInput } from '../../domain/sales/workflow.js';
import { saleIsFinished, saleStatusAt } from '../../domain/sales/sale.js';
import { AUCTION_TASK_QUEUE, saleWorkflowId } from '../../domain/temporal-names.js';
import type { SaleStore } from '../../lua/sale-store.js';
import { cancelSaleSignal } from '../../workflows/sales/definitions.js';
import type { Discovery } from '../discovery/discovery.js';
import { AppError, notFound } from '../errors.js';
import { presentSale, saleWindowOf, type SaleLiveState } from './presenter.js';
import type { PublicSale } from './responses.js';
import type { CreateSaleBody } from './schemas.js';
import { saleTermColumns, type SaleTerms, type SaleTermsCache } from './terms.js';

export interface SaleDeps {
  db: Database;
  store: SaleStore;
  terms: SaleTermsCache;
  temporal: Client;
  taskQueue?: string;
  logger: Logger;
  /** The discovery listing (api/discovery/): told of new sales, claims' counts and cancels. */
  listing: Pick<Discovery, 'announceCreated' | 'notes'>;
}

/** Started by name: the workflow's code lives in the worker, not in the API. */
const SALE_WORKFLOW_TYPE = 'saleWorkflow';

const DEFAULT_CANCEL_REASON = 'Cancelled by the seller';

/** Unknown and malformed ids are the same to a client: no such sale. */
export async function findSaleTerms(deps: Pick<SaleDeps, 'terms'>, id: string): Promise<SaleTerms> {
  const terms = await deps.terms.get(id);
  if (!terms) throw notFound('sale');
  return terms;
}

export async function createSale(deps: SaleDeps, sellerId: string, body: CreateSaleBody): Promise<PublicSale> {
  const [row] = await deps.db
    .insert(sales)
    .values({
      sellerId,
      title: body.title,
      description: body.description,
      category: body.category ?? null,
      currency: body.currency,
      price: body.price,
      stock: body.stock,
      available: body.stock,
      perUserLimit: body.perUserLimit,
      holdSeconds: body.holdSeconds,
      requireChallenge: body.requireChallenge,
      startsAt: body.startsAt ?? new Date(),
      endsAt: body.endsAt ?? null,
    })
    .returning(saleTermColumns);
  const terms = row!;
  const window = saleWindowOf(terms);
  try {
    await deps.store.initSale(terms.id, {
      sellerId,
      stock: terms.stock,
      perUserLimit: terms.perUserLimit,
      holdMs: terms.holdSeconds * 1000,
      ...window,
    });
    const input: SaleWorkflowInput = {
      saleId: terms.id,
      sellerId,
      startsAt: terms.startsAt.toISOString(),
      endsAt: terms.endsAt?.toISOString() ?? null,
    };
    await deps.temporal.workflow.start(SALE_WORKFLOW_TYPE, {
      workflowId: saleWorkflowId(terms.id),
      taskQueue: deps.taskQueue ?? AUCTION_TASK_QUEUE,
      args: [input],
    });
  } catch (error) {
    // No sale exists half-made: without its Redis state or its workflow it could take claims nobody
    // persists, or none at all. The client is told to retry.
    deps.logger.error({ err: error, saleId: terms.id }, 'sale creation failed; undoing');
    await deps.store.discardSale(terms.id).catch(() => undefined);
    await deps.db.delete(sales).where(eq(sales.id, terms.id));
    throw new AppError(503, 'UNAVAILABLE', 'The sale could not be scheduled; please retry');
  }
  deps.terms.remember(terms);
  await deps.listing.announceCreated(terms.id);
  return presentSale(terms, { phase: 'scheduled', counts: { available: terms.stock, held: 0, sold: 0 } });
}

/** The live phase and counts: Redis's, or the row's copy once Redis no longer has the sale. */
export async function liveStateOf(deps: SaleDeps, saleId: string): Promise<SaleLiveState & { version: number }> {
  const snapshot = await deps.store.snapshot(saleId);
  if (snapshot) return { phase: snapshot.phase, counts: snapshot.counts, version: snapshot.version };
  const [row] = await deps.db
    .select({ phase: sales.phase, available: sales.available, held: sales.held, sold: sales.sold })
    .from(sales)
    .where(eq(sales.id, saleId));
  if (!row) throw notFound('sale');
  return { phase: row.phase, counts: { available: row.available, held: row.held, sold: row.sold }, version: 0 };
}

export async function getSale(deps: SaleDeps, id: string): Promise<PublicSale> {
  const terms = await findSaleTerms(deps, id);
  return presentSale(terms, await liveStateOf(deps, terms.id));
}

/**
 * Seller only. Redis first: from the moment it answers, no claim is taken; then the workflow is told,
 * and releases the holds. If the signal is lost, the workflow finds the phase in Redis (the reason only
 * is lost).
 */
export async function cancelSale(
  deps: SaleDeps,
  userId: string,
  id: string,
  reason: string | undefined,
): Promise<PublicSale> {
  const terms = await findSaleTerms(deps, id);
  if (terms.sellerId !== userId) throw new AppError(403, 'NOT_SELLER', 'Only the seller can cancel this sale');
  return withdrawSale(deps, terms, reason ?? DEFAULT_CANCEL_REASON);
}

/**
 * A cancel by whoever may make it (the seller, above; an admin, api/admin/cancels.ts): 409 once the sale
 * has closed, been cancelled, or sold every unit. Each call that answers cancelled the sale itself.
 */
export async function withdrawSale(deps: SaleDeps, terms: SaleTerms, reason: string): Promise<PublicSale> {
  const before = await liveStateOf(deps, terms.id);
  // Past its end by the clock, a sale is over even before the workflow has moved its phase.
  const status = saleStatusAt(before.phase, before.counts, saleWindowOf(terms), Date.now());
  if (status === 'closed' || status === 'cancelled') throw saleEnded(status);
  if (saleIsFinished(before.phase, before.counts)) throw soldEntirely();
  const move = await deps.store.moveTo(terms.id, 'cancelled');
  if (move === null) throw saleEnded('closed');
  // Redis decides again, atomically: a last hold may have been paid since `before` was read.
  if (move.outcome === 'sold_out') throw soldEntirely();
  if (move.outcome !== 'moved') throw saleEnded(move.phase === 'cancelled' ? 'cancelled' : 'closed');
  await deps.listing.notes.statusChanged(terms.id, 'cancelled');
  await deps.temporal.workflow
    .getHandle(saleWorkflowId(terms.id))
    .signal(cancelSaleSignal, { reason })
    .catch((error: unknown) => deps.logger.warn({ err: error, saleId: terms.id }, 'cancelSale signal failed'));
  return presentSale(terms, await liveStateOf(deps, terms.id));
}

/** Every unit is paid for: nothing is left to withdraw, and the sale's workflow has finished. */
const soldEntirely = () =>
  new AppError(409, 'SOLD_OUT', 'Every unit of the sale is sold: there is nothing left to cancel', {
    status: 'sold_out',
  });

const saleEnded = (status: 'closed' | 'cancelled') =>
  new AppError(409, 'SALE_ENDED', `The sale has already ${status === 'closed' ? 'closed' : 'been cancelled'}`, {
    status,
  });
