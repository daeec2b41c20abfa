/**
 * Stepping in on a listing: cancel any auction or flash sale, or void all of a bidder's bids on an open
 * auction, each with a reason the audit log keeps. The answer says where the listing stands now.
 */
import { useState } from 'preact/hooks';
import { api, call } from '../../api/client';
import { textField } from '../../form-data';
import { useAction } from '../../use-action';
import { ErrorNote } from '../error-note';

export function ListingTools() {
  const cancel = useAction();
  const voiding = useAction();
  const [said, setSaid] = useState<string | null>(null);

  return (
    <section aria-labelledby="listings-title">
      <h2 id="listings-title">Listings</h2>
      <form
        aria-label="Cancel a listing"
        onSubmit={async (event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          const [kind, id, reason] = [
            textField(data, 'kind'),
            textField(data, 'listingId').trim(),
            textField(data, 'reason'),
          ];
          const path = { params: { path: { id } }, body: { reason } };
          await cancel.run(async () => {
            const listing =
              kind === 'sale'
                ? await call(() => api.POST('/v1/admin/sales/{id}/cancel', path))
                : await call(() => api.POST('/v1/admin/auctions/{id}/cancel', path));
            setSaid(`${listing.title} is ${listing.status}.`);
          });
        }}
      >
        <fieldset>
          <legend>Cancel</legend>
          <label class="choice">
            <input type="radio" name="kind" value="auction" defaultChecked />
            an auction
          </label>
          <label class="choice">
            <input type="radio" name="kind" value="sale" />a flash sale
          </label>
        </fieldset>
        <label>
          Auction or sale id
          <input name="listingId" required autoComplete="off" />
        </label>
        <label>
          Reason (told to its bidders, buyers and watchers)
          <input name="reason" required maxLength={500} />
        </label>
        <button type="submit" class="danger" disabled={cancel.busy}>
          Cancel it
        </button>
        <ErrorNote error={cancel.error} />
      </form>
      <form
        aria-label="Void a bidder's bids"
        onSubmit={async (event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          const id = textField(data, 'auctionId').trim();
          const body = { bidderId: textField(data, 'bidderId').trim(), reason: textField(data, 'reason') };
          await voiding.run(async () => {
            const voided = await call(() =>
              api.POST('/v1/admin/auctions/{id}/voids', { params: { path: { id } }, body }),
            );
            setSaid(`${voided.retractedAlias}'s bids are void; ${voided.leaderAlias ?? 'nobody'} leads now.`);
          });
        }}
      >
        <label>
          Auction id
          <input name="auctionId" required autoComplete="off" />
        </label>
        <label>
          Bidder id
          <input name="bidderId" required autoComplete="off" />
        </label>
        <label>
          Reason
          <input name="reason" required maxLength={500} />
        </label>
        <button type="submit" class="danger" disabled={voiding.busy}>
          Void their bids
        </button>
        <ErrorNote error={voiding.error} />
      </form>
      {said && (
        <p role="status" data-testid="listing-result">
          {said}
        </p>
      )}
    </section>
  );
}
