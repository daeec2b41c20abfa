/**
 * Tracing for one process, started only when OTEL_EXPORTER_OTLP_ENDPOINT is set: a tracer provider that
 * batches spans to that OTLP/HTTP endpoint, W3C trace context, and the instrumentations of the libraries
 * a bid passes through (HTTP, ioredis, pg). Log lines carry the trace id (config/logger.ts).
 *
 * The instrumentations patch modules as they load, and this project is ES modules: ESM imports are
 * linked before any code runs, so a process's entry must call `startTracing` first and load the rest
 * with a dynamic `import()` after it (api/main.ts, worker/main.ts). The ESM loader hook registered here
 * sees those later imports; require-in-the-middle sees the CommonJS libraries they pull in.
 *
 * Off, nothing is registered and this module loads none of the SDK: the `@opentelemetry/api` calls
 * elsewhere reach its no-op tracer, and nothing patches a module.
 */
import { register } from 'node:module';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import { routeTemplate } from './route-name.js';

export interface Tracing {
  /** Where the worker sends the spans its workflows make in their sandbox (tracing/temporal.ts). */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Flushes the spans still batched, then stops exporting. */
  shutdown(): Promise<void>;
}

/** Beyond this, spans still batched at shutdown are dropped: a collector that is down must not hold up a drain. */
const SHUTDOWN_FLUSH_MS = 2000;

export async function startTracing(
  config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_TRACES_SAMPLER' | 'OTEL_TRACES_SAMPLER_ARG'>,
  serviceName: string,
  logger: Logger,
): Promise<Tracing | null> {
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT === undefined) return null;
  // An endpoint that refuses or cannot be reached would otherwise fail silently, export after export.
  diag.setLogger(
    {
      error: (message, ...args) => logger.error({ args }, `tracing: ${message}`),
      warn: (message, ...args) => logger.warn({ args }, `tracing: ${message}`),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.WARN,
  );
  // Before the instrumentations are built: they hook imports that happen after this.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  // Loaded here, not at the top: with tracing off, none of the SDK is loaded at all.
  const [{ registerInstrumentations }, http, ioredis, pg, sdk, exporter, resources, { SampledLinksSampler }] =
    await Promise.all([
      import('@opentelemetry/instrumentation'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-ioredis'),
      import('@opentelemetry/instrumentation-pg'),
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-proto'),
      import('@opentelemetry/resources'),
      import('./sampler.js'),
    ]);
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, win over the name given here.
  const resource = resources.Resource.default()
    .merge(new resources.Resource({ 'service.name': serviceName }))
    .merge(resources.detectResourcesSync({ detectors: [resources.envDetectorSync] }));
  // The exporter reads the endpoint (appending /v1/traces), headers and timeout from the OTEL_* variables.
  const spanProcessor = new sdk.BatchSpanProcessor(new exporter.OTLPTraceExporter());
  const provider = new sdk.NodeTracerProvider({
    resource,
    sampler: new SampledLinksSampler(config),
    spanProcessors: [spanProcessor],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new http.HttpInstrumentation({
        // Probes and scrapes would outnumber the requests worth following, and a live stream's span would
        // stay open for as long as its watcher does (hours).
        ignoreIncomingRequestHook: (request) =>
          /^\/(healthz|readyz|metrics)\b/.test(request.url ?? '') ||
          (request.headers.accept ?? '').includes('text/event-stream'),
        // Named by the route's template, as OpenTelemetry's HTTP conventions ask (`POST /v1/auctions/:id/bids`).
        applyCustomAttributesOnSpan: (span, request) => {
          const route = routeTemplate(request);
          if (!route) return;
          span.setAttribute('http.route', route);
          span.updateName(`${request.method ?? 'HTTP'} ${route}`);
        },
      }),
      new ioredis.IORedisInstrumentation({ requireParentSpan: true }),
      new pg.PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  const shutdown = () =>
    Promise.race([provider.shutdown(), new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref())]);
  return { spanProcessor, resource, shutdown };
}
