/** The waitlist of a sold-out sale: join (or update the units wanted, keeping the place) and leave. */
import { AppError } from '../errors.js';
import { findSaleTerms, type SaleDeps } from './service.js';

type JoinRefusal = 'SALE_NOT_OPEN' | 'SELLER_CANNOT_BUY' | 'LIMIT_REACHED' | 'UNITS_AVAILABLE' | 'SOLD_OUT';

const REFUSAL_MESSAGE: Record<JoinRefusal, string> = {
  SALE_NOT_OPEN: 'The sale is not open',
  SELLER_CANNOT_BUY: 'A seller cannot buy from their own sale',
  LIMIT_REACHED: "That many units would take you past the sale's per-user limit (units held and bought count)",
  UNITS_AVAILABLE: 'The units are available now: claim them instead',
  SOLD_OUT: 'Sold out with nothing held: no units can come back',
};

export async function joinWaitlist(deps: SaleDeps, id: string, userId: string, quantity: number) {
  const terms = await findSaleTerms(deps, id);
  const joined = await deps.store.joinWaitlist(terms.id, userId, quantity);
  if (joined.outcome === 'waiting') return { position: joined.position };
  if (joined.outcome === 'missing') {
    throw new AppError(409, 'SALE_NOT_OPEN', REFUSAL_MESSAGE.SALE_NOT_OPEN, { available: 0, held: 0 });
  }
  const status = joined.code === 'SELLER_CANNOT_BUY' ? 403 : 409;
  const details = status === 403 ? {} : { available: joined.available, held: joined.held };
  throw new AppError(status, joined.code, REFUSAL_MESSAGE[joined.code], details);
}

export async function leaveWaitlist(deps: SaleDeps, id: string, userId: string): Promise<void> {
  const terms = await findSaleTerms(deps, id);
  if (!(await deps.store.leaveWaitlist(terms.id, userId))) {
    throw new AppError(404, 'NOT_WAITING', 'You are not on this sale’s waitlist');
  }
}
