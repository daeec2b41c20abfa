import { useEffect, useState } from 'preact/hooks';
import { auctionTitle, saleTitle } from '../titles';

/** A link to the auction or sale an order or offer is for, named by its title once that is known. */
export function ItemLink({ auctionId, saleId }: { auctionId: string | null; saleId: string | null }) {
  const [title, setTitle] = useState<string | null>(null);
  useEffect(() => {
    const read = auctionId !== null ? auctionTitle(auctionId) : saleId !== null ? saleTitle(saleId) : null;
    read?.then(setTitle, () => setTitle(null));
  }, [auctionId, saleId]);
  if (auctionId !== null) return <a href={`/auctions/${auctionId}`}>{title ?? 'The auction'}</a>;
  if (saleId !== null) return <a href={`/sales/${saleId}`}>{title ?? 'The sale'}</a>;
  return <span>{title ?? 'An item'}</span>;
}
