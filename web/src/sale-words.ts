import type { Schemas } from './api/client';

/** A sale's status as a buyer or seller reads it. */
export const SALE_STATUS: Record<Schemas['Sale']['status'], string> = {
  scheduled: 'Coming up',
  open: 'On sale',
  sold_out: 'Sold out',
  closed: 'Ended',
  cancelled: 'Cancelled',
};
