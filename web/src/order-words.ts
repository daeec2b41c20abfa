/** An order's kind and status in plain words, shared by the order list and the order page. */
import type { Schemas } from './api/client';

type Order = Schemas['Order'];

export const ORDER_KIND: Record<Order['kind'], string> = {
  auction: 'Auction win',
  second_chance: 'Second-chance offer',
  sale: 'Flash sale',
};

export const ORDER_STATUS: Record<Order['status'], string> = {
  awaiting_payment: 'Awaiting payment',
  paid: 'Paid',
  expired: 'Expired: not paid in time',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
};

/** The colour class of a status: good when paid, bad when it needs the buyer. */
export const orderTone = (status: Order['status']): string =>
  status === 'paid' ? 'leading' : status === 'awaiting_payment' ? 'due' : 'muted';
