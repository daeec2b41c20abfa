import { money } from '../format';
import { useNow } from '../live';

/** How long a doubling is told of on the page (as long as a retraction is). */
const NOTICE_MS = 15_000;

export interface Doubled {
  /** Whose maximum the promotion doubled ("Bidder 7"). */
  alias: string;
  at: number;
}

/** A promotion's doubling just seen on the stream: it is the house bidding, so it is said plainly. */
export function DoubledNotice(props: {
  doubled: Doubled;
  viewerAlias: string | null;
  price: number;
  currency: string;
}) {
  const now = useNow();
  const { doubled, viewerAlias } = props;
  if (now - doubled.at >= NOTICE_MS) return null;
  return (
    <p class="notice" role="status" data-testid="doubled">
      {doubled.alias === viewerAlias
        ? 'A promotion doubled your maximum'
        : `A promotion doubled ${doubled.alias}'s maximum`}
      , at Gavel's expense: the price is now {money(props.price, props.currency)}.
    </p>
  );
}
