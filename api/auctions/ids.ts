/** What a client may send as an auction id or a bid seq; anything else never reaches a query. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isAuctionId = (id: string) => UUID.test(id);

/** Bid seqs are Postgres `integer`s. */
export const MAX_SEQ = 2_147_483_647;
export const isSeq = (value: number) => Number.isSafeInteger(value) && value >= 0 && value <= MAX_SEQ;
