/**
 * The Temporal SDK's OpenTelemetry interceptors, added only when tracing is on. The client's put the
 * caller's trace context in the headers of a start or a signal; the workflow's (inside the sandbox) open
 * spans under it and pass it on to the activities they schedule, whose interceptor continues it. The
 * workflows' spans leave the sandbox through a sink, to the process's own span processor.
 */
import { createRequire } from 'node:module';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type { Tracing } from './start.js';

/** The workflow side of the interceptors, as a module the workflow bundle includes (worker/workflow-source.ts). */
export const WORKFLOW_TRACING_MODULE = createRequire(import.meta.url).resolve(
  '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
);

/** A Temporal client's interceptors: none when tracing is off. */
export function clientTracing(tracing: boolean): { workflow: WorkflowClientInterceptor[] } {
  return { workflow: tracing ? [new OpenTelemetryWorkflowClientInterceptor()] : [] };
}

/** The activity interceptors and the workflow span sink of a worker; nothing when tracing is off. */
export function workerTracing(tracing: Tracing | null): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  if (tracing === null) return {};
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
