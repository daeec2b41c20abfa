/** What /healthz and /readyz answer, as zod schemas: the routes are typed by them, the OpenAPI document generated from them. */
import { z } from 'zod';
import { count } from './wire-types.js';

export const checkResult = z
  .object({ status: z.enum(['up', 'down']), latencyMs: count, error: z.string().optional() })
  .meta({ id: 'DependencyCheck' });

export const checkResults = z.record(z.string(), checkResult).meta({ description: 'By dependency name.' });

export const liveness = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' });

export const readiness = z.object({ status: z.literal('ready'), checks: checkResults }).meta({ id: 'Readiness' });

export type CheckResult = z.infer<typeof checkResult>;
export type Liveness = z.infer<typeof liveness>;
export type Readiness = z.infer<typeof readiness>;
