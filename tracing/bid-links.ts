/**
 * Following one bid from its request to its row. The bid is decided in Redis and copied to Postgres
 * later, by a persist cycle that carries many bids and belongs to the workflow's trace, not the bid's.
 * So the accepted bid keeps its request's traceparent on its stream entry (lua/place-bid.lua), and the
 * cycle's span links to each of them: a trace viewer goes from the bid's trace to the cycle's and back.
 *
 * With tracing off both ends cost next to nothing: no propagator is registered, so there is no
 * traceparent to keep, and the no-op tracer's span is not recorded.
 */
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Link } from '@opentelemetry/api';

const tracer = trace.getTracer('gavel');

/** The traceparent of the span active now; undefined when tracing is off or nothing is traced. */
export function activeTraceparent(): string | undefined {
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

export interface LinkedBid {
  seq: number;
  traceparent: string | null;
}

/** A link to each traced bid's request, named by its seq. */
export function linksToBids(bids: readonly LinkedBid[]): Link[] {
  const links: Link[] = [];
  for (const bid of bids) {
    if (bid.traceparent === null) continue;
    const spanContext = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent: bid.traceparent }));
    if (spanContext) links.push({ context: spanContext, attributes: { 'gavel.bid.seq': bid.seq } });
  }
  return links;
}

/** Runs `store` (the write of these bids to Postgres) in a span linked to each bid's request. */
export function inPersistSpan<T>(auctionId: string, bids: readonly LinkedBid[], store: () => Promise<T>): Promise<T> {
  const attributes = {
    'gavel.auction.id': auctionId,
    'gavel.bids.count': bids.length,
    'gavel.bids.first_seq': bids[0]?.seq ?? 0,
    'gavel.bids.last_seq': bids[bids.length - 1]?.seq ?? 0,
  };
  return tracer.startActiveSpan('persist bids', { attributes, links: linksToBids(bids) }, async (span) => {
    try {
      return await store();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
