import { timeLeft, when } from '../format';
import { useNow } from '../live';
import type { LiveAuction } from '../pages/auction';

/** How long is left, and, for a while after a late bid moved the end, that it did. */
const EXTENSION_NOTICE_MS = 15_000;

export function Countdown({ auction }: { auction: LiveAuction }) {
  const now = useNow();
  const endsAt = Date.parse(auction.endsAt);
  const startsAt = Date.parse(auction.startsAt);
  if (auction.status === 'cancelled') return <p>Cancelled</p>;
  if (auction.status === 'scheduled' && startsAt > now) {
    return <p>Starts in {timeLeft(startsAt, now)}</p>;
  }
  const left = timeLeft(endsAt, now);
  return (
    <div class="countdown">
      <p>
        {auction.status === 'closed' ? 'Ended' : left ? 'Ends in ' : 'Closing…'}
        {auction.status !== 'closed' && left && (
          <strong data-testid="time-left" aria-live="off">
            {left}
          </strong>
        )}
        <span class="muted">
          {' '}
          (
          <time dateTime={auction.endsAt} data-testid="ends-at">
            {when(auction.endsAt)}
          </time>
          )
        </span>
      </p>
      {auction.extendedAt !== null && now - auction.extendedAt < EXTENSION_NOTICE_MS && (
        <p class="extended" role="status" data-testid="extended">
          A late bid extended the auction (soft close): it now ends {when(auction.endsAt)}.
        </p>
      )}
    </div>
  );
}
