/**
 * The seller's (or an admin's) view of who bids on an auction (GET /v1/auctions/{id}/bidders): each
 * bidder's alias, as everyone else sees them, with the account's name, their bids that count, and whether
 * they retract (here, and how often lately). Read again whenever the auction's stream moves (`seq`). An
 * admin may void a bidder's bids from here while the auction is open.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { ErrorNote } from './error-note';
import { VoidBidsForm } from './void-bids-form';

interface Props {
  auctionId: string;
  seq: number;
  /** An admin looking at someone else's auction: the heading says whose view this is. */
  asAdmin?: boolean;
  canVoid?: boolean;
}

export function BiddersPanel({ auctionId, seq, asAdmin = false, canVoid = false }: Props) {
  const [bidders, setBidders] = useState<Schemas['AuctionBidder'][] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    call(() => api.GET('/v1/auctions/{id}/bidders', { params: { path: { id: auctionId } } })).then(
      (list) => {
        if (cancelled) return;
        setBidders(list.items);
        setError(null);
      },
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [auctionId, seq]);

  return (
    <section aria-labelledby="bidders-title">
      <h2 id="bidders-title">{asAdmin ? 'Bidders' : 'Your bidders'}</h2>
      <p class="muted">
        {asAdmin
          ? 'Admins and the seller see who they are; everyone else sees their aliases.'
          : 'Only you see who they are; everyone else sees their aliases.'}
      </p>
      <ErrorNote error={error} />
      {bidders === null ? null : bidders.length === 0 ? (
        <p class="muted">Nobody has bid yet.</p>
      ) : (
        <div class="table-scroll">
          <table class="stack" data-testid="bidders">
            <thead>
              <tr>
                <th scope="col">Alias</th>
                <th scope="col">Name</th>
                <th scope="col">Bids</th>
                <th scope="col">Retracted here</th>
                <th scope="col">Retractions in 6 months</th>
                {canVoid && (
                  <th scope="col">
                    <span class="visually-hidden">Void</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {bidders.map((bidder) => (
                <tr key={bidder.bidderId}>
                  <td data-label="Alias">{bidder.bidderAlias ?? '—'}</td>
                  <td data-label="Name">{bidder.displayName}</td>
                  <td data-label="Bids">{bidder.bidCount}</td>
                  <td data-label="Retracted here">{bidder.retracted ? 'Yes' : 'No'}</td>
                  <td data-label="Retractions in 6 months">{bidder.recentRetractions}</td>
                  {canVoid && (
                    <td data-label="Void">
                      {bidder.bidCount > 0 && (
                        <VoidBidsForm
                          auctionId={auctionId}
                          bidderId={bidder.bidderId}
                          alias={bidder.bidderAlias ?? ''}
                        />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
