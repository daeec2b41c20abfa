/**
 * One auction, live: the price, the leader ("you lead" / "outbid"), the bid count and the countdown
 * follow the SSE stream, a soft-close extension shows when it happens, and the result appears at the
 * close. The page reads the auction once; after that the stream's snapshot and events are the truth.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { BidForm } from '../components/bid-form';
import { BidHistory } from '../components/bid-history';
import { Countdown } from '../components/countdown';
import { ErrorNote } from '../components/error-note';
import { Gallery } from '../components/gallery';
import { ResultPanel } from '../components/result-panel';
import { WatchButton } from '../components/watch-button';
import { money, when } from '../format';
import { useEventStream } from '../live';
import { me } from '../session';

type Detail = Schemas['AuctionDetail'];
type BidEvent = Schemas['BidEvent'];
type ReplayedBid = Schemas['ReplayedBidEvent'];

export interface LiveAuction extends Detail {
  /** When the last soft-close extension moved the end, for the notice on screen. */
  extendedAt: number | null;
}

export function AuctionPage({ id }: { id: string }) {
  const [auction, setAuction] = useState<LiveAuction | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [myBid, setMyBid] = useState<boolean>(false);
  const user = me.value;

  useEffect(() => {
    setAuction(null);
    call(() => api.GET('/v1/auctions/{id}', { params: { path: { id } } })).then(
      (detail) => setAuction({ ...detail, extendedAt: null }),
      setError,
    );
  }, [id]);

  // Whether this person has a bid here decides between "outbid" and no label at all.
  useEffect(() => {
    if (!user) return setMyBid(false);
    call(() => api.GET('/v1/auctions/{id}/bids', { params: { path: { id }, query: { bidder: 'me', limit: 1 } } })).then(
      (page) => setMyBid(page.items.length > 0),
      () => undefined,
    );
  }, [id, user?.id]);

  const update = (change: Partial<LiveAuction>) => setAuction((known) => (known ? { ...known, ...change } : known));

  useEventStream(auction ? `/v1/auctions/${encodeURIComponent(id)}/events` : null, {
    snapshot: (data) => {
      const snapshot = data as Schemas['Auction'];
      update(snapshot);
    },
    bid: (data) => {
      const bid = data as BidEvent | ReplayedBid;
      if ('replayed' in bid)
        return update({ currentPrice: bid.currentPrice, minimumNextBid: bid.minimumNextBid, bidCount: bid.bidCount });
      update({
        seq: bid.seq,
        currentPrice: bid.currentPrice,
        minimumNextBid: bid.minimumNextBid,
        bidCount: bid.bidCount,
        leaderId: bid.leaderId,
        reserveMet: bid.reserveMet,
        endsAt: bid.endsAt,
        status: 'open',
      });
    },
    extended: (data) => update({ endsAt: (data as Schemas['ExtendedEvent']).endsAt, extendedAt: Date.now() }),
    closed: (data) => update({ status: 'closed', result: data as Schemas['AuctionResult'] }),
    cancelled: () => update({ status: 'cancelled' }),
  });

  if (error) return <ErrorNote error={error} />;
  if (!auction) return <p aria-busy="true">Loading the auction…</p>;

  const leading = user !== null && auction.leaderId === user.id;
  const outbid = myBid && !leading && auction.bidCount > 0;
  const isSeller = user !== null && auction.sellerId === user.id;
  return (
    <article class="auction" aria-labelledby="auction-title">
      <h1 id="auction-title">{auction.title}</h1>
      <div class="auction-layout">
        <Gallery images={auction.images} title={auction.title} />
        <section class="live-panel" aria-label="Bidding">
          <p class="big-price">
            <span class="muted">{auction.bidCount === 0 ? 'Starting price' : 'Current price'}</span>{' '}
            <output data-testid="current-price">{money(auction.currentPrice, auction.currency)}</output>
          </p>
          <p>
            <span data-testid="bid-count">
              {auction.bidCount} {auction.bidCount === 1 ? 'bid' : 'bids'}
            </span>
            {auction.bidCount > 0 && !auction.reserveMet && <span class="muted"> · reserve not met yet</span>}
            {auction.bidCount > 0 && auction.reserveMet && <span class="muted"> · reserve met</span>}
          </p>
          <p role="status" data-testid="leader-status" class={leading ? 'leading' : outbid ? 'outbid' : ''}>
            {leading
              ? auction.status === 'closed'
                ? ''
                : 'You lead'
              : outbid && auction.status === 'open'
                ? 'Outbid'
                : ''}
          </p>
          <Countdown auction={auction} />
          {auction.status === 'closed' || auction.status === 'cancelled' ? (
            <ResultPanel auction={auction} />
          ) : isSeller ? (
            <p>This is your auction.</p>
          ) : (
            <BidForm auction={auction} onPlaced={() => setMyBid(true)} />
          )}
          <WatchButton auctionId={auction.id} watchers={auction.watchers} />
        </section>
      </div>
      <section aria-labelledby="about-title">
        <h2 id="about-title">About this item</h2>
        <p class="description">{auction.description}</p>
        <dl class="terms">
          <dt>Starting price</dt>
          <dd>{money(auction.startingPrice, auction.currency)}</dd>
          {auction.buyNowPrice !== null && (
            <>
              <dt>Buy now</dt>
              <dd>{money(auction.buyNowPrice, auction.currency)}</dd>
            </>
          )}
          <dt>Buyer's premium</dt>
          <dd>{auction.buyersPremiumBps / 100}% on top of the hammer price</dd>
          <dt>Starts</dt>
          <dd>{when(auction.startsAt)}</dd>
          <dt>Payment</dt>
          <dd>within {Math.round(auction.paymentWindowSeconds / 3600)} hours of winning</dd>
        </dl>
      </section>
      <BidHistory auctionId={auction.id} currency={auction.currency} seq={auction.seq} />
    </article>
  );
}
