/**
 * Admins' promotions: define, read, pause or resume, delete. Each change and its audit entry are one
 * transaction, and the schedule is changed inside it, last: if Temporal refuses, the row and the entry
 * roll back with it, so the promotions table and the schedules agree.
 */
import { and, desc, eq, ne } from 'drizzle-orm';
import { committedBudget } from '../../activities/promotions/budget.js';
import { appendAuditEntry } from '../../db/audit-log.js';
import type { Database } from '../../db/pool.js';
import { auctions, promotionFirings, promotions } from '../../db/schema.js';
import type { AuditAction } from '../../domain/moderation/audit-actions.js';
import type { Actor } from '../admin/require-admin.js';
import { isAuctionId as isUuid } from '../auctions/ids.js';
import { notFound } from '../errors.js';
import type { PromotionDetailJson, PromotionJson } from './responses.js';
import {
  createPromotionSchedule,
  deleteSchedule,
  nextFiringAt,
  setSchedulePaused,
  type ScheduleDeps,
} from './schedule.js';
import type { CreatePromotionBody } from './schemas.js';

export interface PromotionDeps extends ScheduleDeps {
  db: Database;
}

type PromotionRow = typeof promotions.$inferSelect;
type Reader = Pick<Database, 'select'>;

/** What an admin set: the audit entries' details, and the body of every answer. */
const specOf = (row: PromotionRow) => ({
  scope: { category: row.category, auctionId: row.auctionId },
  every: row.every,
  jitter: row.jitter,
  maxPerAuction: row.maxPerAuction,
  budget: row.budget,
  currency: row.currency,
  strategy: row.strategy,
});

async function present(db: Reader, row: PromotionRow): Promise<PromotionJson> {
  const committed = await committedBudget(db, row.id);
  return {
    id: row.id,
    ...specOf(row),
    status: row.status,
    committed,
    remaining: Math.max(0, row.budget - committed),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function createPromotion(
  deps: PromotionDeps,
  actor: Actor,
  body: CreatePromotionBody,
): Promise<PromotionJson> {
  const { auctionId, category } = body.scope;
  if (auctionId !== undefined) {
    const [auction] = await deps.db.select({ id: auctions.id }).from(auctions).where(eq(auctions.id, auctionId));
    if (!auction) throw notFound('Auction');
  }
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(promotions)
      .values({
        category: category ?? null,
        auctionId: auctionId ?? null,
        every: body.every,
        jitter: body.jitter,
        maxPerAuction: body.maxPerAuction,
        budget: body.budget,
        currency: body.currency,
        strategy: body.strategy,
        createdBy: actor.actorId,
      })
      .returning();
    await audit(tx, actor, 'promotion_created', row!, body.reason);
    await createPromotionSchedule(deps, { promotionId: row!.id, every: row!.every, jitter: row!.jitter });
    return present(tx, row!);
  });
}

export async function listPromotions(deps: PromotionDeps): Promise<{ items: PromotionJson[] }> {
  const rows = await deps.db
    .select()
    .from(promotions)
    .where(ne(promotions.status, 'deleted'))
    .orderBy(desc(promotions.createdAt), desc(promotions.id));
  return { items: await Promise.all(rows.map((row) => present(deps.db, row))) };
}

export async function readPromotion(deps: PromotionDeps, id: string): Promise<PromotionDetailJson> {
  const row = await findPromotion(deps.db, id);
  const firings = await deps.db
    .select()
    .from(promotionFirings)
    .where(eq(promotionFirings.promotionId, id))
    .orderBy(desc(promotionFirings.firedAt), desc(promotionFirings.id))
    .limit(50);
  return {
    ...(await present(deps.db, row)),
    nextFiringAt: row.status === 'active' ? await nextFiringAt(deps, id) : null,
    firings: firings.map((firing) => ({
      id: firing.id,
      firedAt: firing.firedAt.toISOString(),
      outcome: firing.outcome,
      reason: firing.reason,
      seed: firing.seed,
      strategy: firing.strategy,
      candidates: firing.candidates.map((auction) => ({ auctionId: auction.auctionId, bidders: [...auction.bidders] })),
      auctionId: firing.auctionId,
      bidderId: firing.bidderId,
      fromMax: firing.fromMax,
      toMax: firing.toMax,
      exposure: firing.exposure,
    })),
  };
}

/** Pause or resume; setting the status it has already changes nothing and writes no entry. */
export async function setPromotionStatus(
  deps: PromotionDeps,
  actor: Actor,
  id: string,
  status: 'active' | 'paused',
  reason: string | undefined,
): Promise<PromotionJson> {
  const current = await findPromotion(deps.db, id);
  if (current.status === status) return present(deps.db, current);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(promotions)
      .set({ status })
      .where(and(eq(promotions.id, id), ne(promotions.status, 'deleted')))
      .returning();
    if (!row) throw notFound('Promotion');
    await audit(tx, actor, status === 'paused' ? 'promotion_paused' : 'promotion_resumed', row, reason);
    await setSchedulePaused(deps, id, status === 'paused');
    return present(tx, row);
  });
}

/** The schedule goes; the row stays, marked deleted, for its firings and the budget they committed. */
export async function deletePromotion(
  deps: PromotionDeps,
  actor: Actor,
  id: string,
  reason: string | undefined,
): Promise<PromotionJson> {
  await findPromotion(deps.db, id);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(promotions)
      .set({ status: 'deleted' })
      .where(and(eq(promotions.id, id), ne(promotions.status, 'deleted')))
      .returning();
    if (!row) throw notFound('Promotion');
    await audit(tx, actor, 'promotion_deleted', row, reason);
    await deleteSchedule(deps, id);
    return present(tx, row);
  });
}

async function findPromotion(db: Reader, id: string): Promise<PromotionRow> {
  if (!isUuid(id)) throw notFound('Promotion');
  const [row] = await db.select().from(promotions).where(eq(promotions.id, id));
  if (!row || row.status === 'deleted') throw notFound('Promotion');
  return row;
}

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

const audit = (tx: Transaction, actor: Actor, action: AuditAction, row: PromotionRow, reason: string | undefined) =>
  appendAuditEntry(tx, {
    ...actor,
    action,
    targetType: 'promotion',
    targetId: row.id,
    reason: reason ?? null,
    details: specOf(row),
  });
