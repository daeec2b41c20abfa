/**
 * One auction, live: the price, the leader ("you lead" / "outbid"), the bid count and the countdown
 * follow the SSE stream, a soft-close extension and a retraction show when they happen, and the result
 * appears at the close. The page reads the auction once (again when the signed-in person changes); after
 * that the stream's snapshot and events are the truth. Events name bidders by alias only: the viewer is
 * told apart by their own alias (`viewerAlias`, then each bid's answer), never by account id.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { BidForm } from '../components/bid-form';
import { BidHistory } from '../components/bid-history';
import { BiddersPanel } from '../components/bidders-panel';
import { Countdown } from '../components/countdown';
import { ErrorNote } from '../components/error-note';
import { Gallery } from '../components/gallery';
import { ResultPanel } from '../components/result-panel';
import { RetractForm } from '../components/retract-form';
import { RetractedNotice, type Retracted } from '../components/retracted-notice';
import { DoubledNotice, type Doubled } from '../components/doubled-notice';
import { WatchButton } from '../components/watch-button';
import { money, when } from '../format';
import { useEventStream } from '../live';
import { me } from '../session';

type Detail = Schemas['AuctionDetail'];
type BidEvent = Schemas['BidEvent'];
type ReplayedBid = Schemas['ReplayedBidEvent'];
type RetractedEvent = Schemas['RetractedEvent'];
type ReplayedRetraction = Schemas['ReplayedRetractionEvent'];
type DoubledEvent = Schemas['DoubledEvent'];
type ReplayedDoubling = Schemas['ReplayedDoublingEvent'];

/** How often, and how long apart, one's own bids are read again for a retraction's marks. */
const MARK_RETRIES = 4;
const MARK_SETTLE_MS = 800;

export interface LiveAuction extends Detail {
  /** When the last soft-close extension moved the end, for the notice on screen. */
  extendedAt: number | null;
}

export function AuctionPage({ id }: { id: string }) {
  const [auction, setAuction] = useState<LiveAuction | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [myBid, setMyBid] = useState<boolean>(false);
  const [retracted, setRetracted] = useState<Retracted | null>(null);
  const [doubled, setDoubled] = useState<Doubled | null>(null);
  /** Retractions seen live: each one marks bids the history already shows. */
  const [retractions, setRetractions] = useState(0);
  /** This person retracted on this auction (seen on this page): a bidder may retract once per auction. */
  const [retractedHere, setRetractedHere] = useState(false);
  const user = me.value;

  // Another auction: nothing seen on this one's stream carries over.
  useEffect(() => {
    setRetracted(null);
    setRetractions(0);
    setRetractedHere(false);
  }, [id]);

  // Read again when the person changes: their token shows them their own alias (and ids they may see).
  useEffect(() => {
    setAuction((known) => (known?.id === id ? known : null));
    call(() => api.GET('/v1/auctions/{id}', { params: { path: { id } } })).then(
      (detail) => setAuction((known) => ({ ...detail, extendedAt: known?.extendedAt ?? null })),
      setError,
    );
  }, [id, user?.id]);

  // Whether this person has a bid standing here decides between "outbid" and no label at all. After a
  // retraction of theirs, read until its mark is persisted: only the last bid may have gone.
  useEffect(() => {
    if (!user) return setMyBid(false);
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout>;
    const attempt = (left: number) =>
      call(() =>
        api.GET('/v1/auctions/{id}/bids', { params: { path: { id }, query: { bidder: 'me', limit: 100 } } }),
      ).then(
        (page) => {
          if (cancelled) return;
          if (retractedHere && !page.items.some((bid) => bid.retracted) && left > 0) {
            timer = setTimeout(() => void attempt(left - 1), MARK_SETTLE_MS);
            return;
          }
          setMyBid(page.items.some((bid) => !bid.retracted));
        },
        () => undefined,
      );
    void attempt(MARK_RETRIES);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [id, user?.id, retractedHere]);

  const update = (change: Partial<LiveAuction>) => setAuction((known) => (known ? { ...known, ...change } : known));
  const viewerAlias = auction?.viewerAlias ?? null;

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
        leaderAlias: bid.leaderAlias,
        reserveMet: bid.reserveMet,
        endsAt: bid.endsAt,
        status: 'open',
      });
    },
    retracted: (data) => {
      const taken = data as RetractedEvent | ReplayedRetraction;
      const common = {
        currentPrice: taken.currentPrice,
        minimumNextBid: taken.minimumNextBid,
        bidCount: taken.bidCount,
      };
      if ('replayed' in taken) return update(common);
      update({
        ...common,
        seq: taken.seq,
        leaderAlias: taken.leaderAlias,
        reserveMet: taken.reserveMet,
        endsAt: taken.endsAt,
      });
      setRetracted({ alias: taken.retractedAlias, at: Date.now() });
      setRetractions((n) => n + 1);
      // Taken back in another tab, perhaps: once per auction, so no second offer to retract.
      if (taken.retractedAlias === viewerAlias) setRetractedHere(true);
    },
    doubled: (data) => {
      const event = data as DoubledEvent | ReplayedDoubling;
      const common = {
        currentPrice: event.currentPrice,
        minimumNextBid: event.minimumNextBid,
        bidCount: event.bidCount,
      };
      if ('replayed' in event) return update(common);
      update({
        ...common,
        seq: event.seq,
        leaderAlias: event.leaderAlias,
        reserveMet: event.reserveMet,
        endsAt: event.endsAt,
      });
      setDoubled({ alias: event.doubledAlias, at: Date.now() });
    },
    extended: (data) => update({ endsAt: (data as Schemas['ExtendedEvent']).endsAt, extendedAt: Date.now() }),
    closed: (data) => update({ status: 'closed', result: data as Schemas['AuctionResult'] }),
    cancelled: () => update({ status: 'cancelled' }),
  });

  if (error) return <ErrorNote error={error} />;
  if (!auction) return <p aria-busy="true">Loading the auction…</p>;

  const leading = viewerAlias !== null && auction.leaderAlias === viewerAlias;
  const outbid = myBid && !leading && auction.bidCount > 0;
  const isSeller = user !== null && auction.sellerId === user.id;
  const isAdmin = user?.role === 'admin';
  const open = auction.status === 'open';
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
            {auction.leaderAlias !== null && !leading && (
              <span class="muted" data-testid="leader-alias">
                {' '}
                · {auction.leaderAlias} {auction.status === 'closed' ? 'led' : 'leads'}
              </span>
            )}
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
          {retracted !== null && (
            <RetractedNotice
              retracted={retracted}
              viewerAlias={viewerAlias}
              price={auction.currentPrice}
              currency={auction.currency}
            />
          )}
          {doubled !== null && (
            <DoubledNotice
              doubled={doubled}
              viewerAlias={viewerAlias}
              price={auction.currentPrice}
              currency={auction.currency}
            />
          )}
          {auction.status === 'closed' || auction.status === 'cancelled' ? (
            <ResultPanel auction={auction} />
          ) : isSeller ? (
            <p>This is your auction.</p>
          ) : (
            <BidForm
              auction={auction}
              onPlaced={(placed) => {
                setMyBid(true);
                if (placed.bidderAlias !== null) update({ viewerAlias: placed.bidderAlias });
              }}
            />
          )}
          {open && myBid && !retractedHere && !isSeller && (
            <RetractForm
              auctionId={auction.id}
              onRetracted={() => {
                // The new price and leader arrive with the stream's `retracted` event, as everyone's do;
                // whether an earlier bid of theirs still stands, with the history's marks (above).
                setMyBid(false);
                setRetractedHere(true);
              }}
            />
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
      {(isSeller || isAdmin) && (
        <BiddersPanel
          auctionId={auction.id}
          seq={auction.seq}
          asAdmin={isAdmin && !isSeller}
          canVoid={isAdmin && open}
        />
      )}
      <BidHistory
        auctionId={auction.id}
        currency={auction.currency}
        seq={auction.seq}
        retractions={retractions}
        viewerAlias={viewerAlias}
      />
    </article>
  );
}
