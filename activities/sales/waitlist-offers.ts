/** The waitlist_offer notice: units came back and are held for a buyer who waited, until the hold's end. */
import { waitlistOfferKey } from '../../domain/notifications/dedupe-keys.js';
import type { NotificationDraft } from '../../domain/notifications/types.js';
import { saleTotal } from '../../domain/sales/sale.js';
import type { LoggedHold } from '../../lua/sale-store.js';
import type { NotificationPipeline } from '../notifications/pipeline.js';
import type { SaleTerms } from './terms.js';

/** Once per hold (its dedupe key names the order): a repeated copy of the log notifies nobody twice. */
export async function notifyWaitlistOffers(
  pipeline: NotificationPipeline,
  saleId: string,
  terms: SaleTerms,
  holds: readonly LoggedHold[],
): Promise<void> {
  const drafts: NotificationDraft[] = holds.map((hold) => ({
    userId: hold.userId,
    type: 'waitlist_offer',
    auctionId: null,
    data: {
      title: terms.title,
      saleId,
      orderId: hold.orderId,
      quantity: hold.quantity,
      currency: terms.currency,
      total: saleTotal(terms.price, hold.quantity),
      payBy: new Date(hold.expiresAtMs).toISOString(),
      role: 'buyer',
    },
    dedupeKey: waitlistOfferKey(hold.orderId, hold.userId),
  }));
  await pipeline.deliverDrafts(drafts);
}
