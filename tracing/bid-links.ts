/**
 * Following one bid from its request to its row. The bid is decided in Redis and copied to Postgres
 * later, by a persist cycle that carries many bids and runs in an activity of the auction's workflow,
 * whose trace began when the auction was made, days ago perhaps. So an accepted bid whose request is
 * sampled keeps its traceparent on its stream entry (lua/place-bid.lua), and each cycle starts a trace of
 * its own, linked to each such bid and to the activity that runs it: a trace viewer goes from the bid's
 * trace to the cycle's, and on to the workflow's. The sampler keeps a span linked to sampled work
 * (tracing/sampler.ts), so a sampled bid's cycle is kept whatever the ratio.
 *
 * With tracing off both ends cost next to nothing: no span is active, so there is no traceparent to
 * keep, and the no-op tracer's span is not recorded.
 */
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, TraceFlags, type Link } from '@opentelemetry/api';

const tracer = trace.getTracer('gavel');

/** The traceparent of the span active now; undefined when tracing is off or that span is not sampled. */
export function activeTraceparent(): string | undefined {
  const span = trace.getActiveSpan();
  if (!span || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return undefined;
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

/**
 * Runs `store` (the write of these bids to Postgres) in a span that starts a trace of its own, linked to
 * each bid's request and to the span active now (the activity's).
 */
export function inPersistSpan<T>(auctionId: string, bids: readonly LinkedBid[], store: () => Promise<T>): Promise<T> {
  const attributes = {
    'gavel.auction.id': auctionId,
    'gavel.bids.count': bids.length,
    'gavel.bids.first_seq': bids[0]?.seq ?? 0,
    'gavel.bids.last_seq': bids[bids.length - 1]?.seq ?? 0,
  };
  const links = linksToBids(bids);
  const activity = trace.getActiveSpan()?.spanContext();
  if (activity && trace.isSpanContextValid(activity))
    links.push({ context: activity, attributes: { 'gavel.link': 'activity' } });
  return tracer.startActiveSpan('persist bids', { root: true, attributes, links }, async (span) => {
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
