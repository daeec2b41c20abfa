import { money } from '../format';
import { useNow } from '../live';

/** How long a retraction is told of on the page (as long as a soft-close extension is). */
const NOTICE_MS = 15_000;

export interface Retracted {
  /** Whose bids were taken back ("Bidder 7"). */
  alias: string;
  at: number;
}

/** A retraction just seen on the stream: whose bids went, and the price the remaining maxima made. */
export function RetractedNotice(props: {
  retracted: Retracted;
  viewerAlias: string | null;
  price: number;
  currency: string;
}) {
  const now = useNow();
  const { retracted, viewerAlias } = props;
  if (now - retracted.at >= NOTICE_MS) return null;
  return (
    <p class="notice" role="status" data-testid="retracted">
      {retracted.alias === viewerAlias ? 'Your bids were' : `${retracted.alias}'s bids were`} taken back: the price is
      now {money(props.price, props.currency)}.
    </p>
  );
}
