/**
 * How long an ended auction stays in listings: `DISCOVERY_ENDED_LISTED_DAYS` after its end, then only
 * its own page (GET /v1/auctions/:id) shows it. Without a bound the read model, and every API
 * process's memory and start-up load, would grow with every auction ever held.
 *
 * The boundary moves with the wall time of a traversal's first page (carried in its cursor), so all
 * pages of one traversal apply the same one and none skips an auction that crossed it meanwhile. The
 * model keeps an auction a little longer than it lists it, until no cursor still valid can reach it.
 */

/** Listed at `atMs` (a first page's wall time): auctions ending after this (exclusive, epoch ms). */
export const listedEndingAfterMs = (atMs: number, listedMs: number) => atMs - listedMs;

/** Cursors from a process whose clock is ahead, or behind in the feed, get this much more. */
const KEPT_MARGIN_MS = 60_000;

/** Kept in memory at `nowMs`: auctions ending at or after this; older ended ones can be let go. */
export const keptEndingFromMs = (nowMs: number, listedMs: number, cursorTtlMs: number) =>
  nowMs - listedMs - cursorTtlMs - KEPT_MARGIN_MS;
