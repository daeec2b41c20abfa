/**
 * The sampler: OTEL_TRACES_SAMPLER and its ARG as the SDK reads them (config/env.ts has validated both),
 * with one rule before it: a span linked to sampled work is sampled. A persist cycle starts a trace of
 * its own and links the bids it stores (tracing/bid-links.ts); at a 1 % ratio its own coin would drop
 * nearly every cycle that stored a sampled bid, and that bid could no longer be followed to its row.
 */
import { TraceFlags, type Attributes, type Context, type Link, type SpanKind } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace-base';
import type { Config } from '../config/env.js';

type SamplerConfig = Pick<Config, 'OTEL_TRACES_SAMPLER' | 'OTEL_TRACES_SAMPLER_ARG'>;

/** What the SDK would build from the same two variables (its default: parentbased_always_on). */
function configuredSampler({ OTEL_TRACES_SAMPLER: name, OTEL_TRACES_SAMPLER_ARG: ratio = 1 }: SamplerConfig): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    case 'parentbased_always_on':
    case undefined:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

const isSampled = (link: Link) => (link.context.traceFlags & TraceFlags.SAMPLED) !== 0;

export class SampledLinksSampler implements Sampler {
  private readonly configured: Sampler;

  constructor(config: SamplerConfig) {
    this.configured = configuredSampler(config);
  }

  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (links.some(isSampled)) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    return this.configured.shouldSample(context, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return `SampledLinks{${this.configured.toString()}}`;
  }
}
