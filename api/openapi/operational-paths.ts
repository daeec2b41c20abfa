/** Health, metrics and the reference itself (api/health-routes.ts, api/app.ts, ./routes.ts) in the document. */
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { checkResults, liveness, readiness } from '../health-responses.js';
import { errorResponse, json } from './parts.js';

const tags = ['Operations'];

export const operationalPaths: ZodOpenApiPathsObject = {
  '/healthz': {
    get: {
      operationId: 'liveness',
      summary: 'The process is alive',
      tags,
      responses: { 200: json('Alive.', liveness) },
    },
  },
  '/readyz': {
    get: {
      operationId: 'readiness',
      summary: 'Every dependency answers, and the process is not shutting down',
      tags,
      responses: {
        200: json('Ready.', readiness),
        503: errorResponse(
          'Not ready: shutting down, or `down` names the dependencies that did not answer.',
          ['SHUTTING_DOWN', 'NOT_READY'],
          { down: z.array(z.string()).optional(), checks: checkResults.optional() },
        ),
      },
    },
  },
  '/metrics': {
    get: {
      operationId: 'metrics',
      summary: 'Prometheus metrics',
      tags,
      responses: {
        200: { description: 'The Prometheus text format.', content: { 'text/plain': { schema: z.string() } } },
      },
    },
  },
  '/openapi.json': {
    get: {
      operationId: 'openApiDocument',
      summary: 'This document',
      tags,
      responses: {
        200: json(
          'OpenAPI 3.1.',
          z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
        ),
      },
    },
  },
  '/docs/': {
    get: {
      operationId: 'apiReference',
      summary: 'This document, readable (Swagger UI)',
      tags,
      responses: { 200: { description: 'An HTML page.', content: { 'text/html': { schema: z.string() } } } },
    },
  },
};
