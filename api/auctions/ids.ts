/** What a client may send as an auction id or a bid seq; anything else never reaches a query. */
import type { Request } from 'express';
import { z } from 'zod';

// No `i` flag: JSON Schema patterns have none, and the document states this same expression.
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const isAuctionId = (id: string) => UUID.test(id);

/** The `:id` of a route's path, as sent (each use case checks its shape, and answers 404 for a bad one). */
export const pathIdOf = (req: Request) => (typeof req.params.id === 'string' ? req.params.id : '');

/** The `{id}` of the auction routes, for the document: anything else is answered 404, like an unknown id. */
export const auctionIdParam = z
  .string()
  .regex(UUID)
  .meta({ description: 'The auction id (a UUID).', format: 'uuid', example: '5f0c8a3e-2b1d-4c6e-9a7f-1e2d3c4b5a69' });

/** Bid seqs are Postgres `integer`s. */
export const MAX_SEQ = 2_147_483_647;
export const isSeq = (value: number) => Number.isSafeInteger(value) && value >= 0 && value <= MAX_SEQ;
