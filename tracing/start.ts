/**
 * Tracing for one process, started only when OTEL_EXPORTER_OTLP_ENDPOINT is set: a tracer provider that
 * batches spans to that OTLP/HTTP endpoint, W3C trace context, and the instrumentations of the libraries
 * a bid passes through (HTTP and Express, ioredis, pg). Log lines carry the trace id (config/logger.ts).
 *
 * The instrumentations patch modules as they load, and this project is ES modules: ESM imports are
 * linked before any code runs, so a process's entry must call `startTracing` first and load the rest
 * with a dynamic `import()` after it (api/main.ts, worker/main.ts). The ESM loader hook registered here
 * sees those later imports; require-in-the-middle sees the CommonJS libraries they pull in.
 *
 * Off, nothing is registered: the `@opentelemetry/api` calls elsewhere reach its no-op tracer, and
 * nothing patches a module.
 */
import { register } from 'node:module';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../config/env.js';

export interface Tracing {
  /** Where the worker sends the spans its workflows make in their sandbox (tracing/temporal.ts). */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Flushes the spans still batched, then stops exporting. */
  shutdown(): Promise<void>;
}

export async function startTracing(
  config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT'>,
  serviceName: string,
): Promise<Tracing | null> {
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT === undefined) return null;
  // Before the instrumentations are built: they hook imports that happen after this.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  // Loaded here, not at the top: with tracing off, none of the SDK is loaded at all.
  const [{ registerInstrumentations }, http, express, ioredis, pg, sdk, exporter, resources] = await Promise.all([
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-express'),
    import('@opentelemetry/instrumentation-ioredis'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-proto'),
    import('@opentelemetry/resources'),
  ]);
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, win over the name given here.
  const resource = resources.Resource.default()
    .merge(new resources.Resource({ 'service.name': serviceName }))
    .merge(resources.detectResourcesSync({ detectors: [resources.envDetectorSync] }));
  // The exporter reads the endpoint (appending /v1/traces), headers and timeout from the OTEL_* variables;
  // the provider reads the sampler (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG) the same way.
  const spanProcessor = new sdk.BatchSpanProcessor(new exporter.OTLPTraceExporter());
  const provider = new sdk.NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new http.HttpInstrumentation({
        // Probes and scrapes would outnumber the requests worth following.
        ignoreIncomingRequestHook: (request) => /^\/(healthz|readyz|metrics)\b/.test(request.url ?? ''),
      }),
      new express.ExpressInstrumentation({ ignoreLayersType: [express.ExpressLayerType.MIDDLEWARE] }),
      new ioredis.IORedisInstrumentation({ requireParentSpan: true }),
      new pg.PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  return { spanProcessor, resource, shutdown: () => provider.shutdown() };
}
