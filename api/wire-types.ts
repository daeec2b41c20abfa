/**
 * The primitive shapes of the JSON the API answers with, as zod schemas: the response schemas of each
 * feature are built from these, the presenters are typed by them (z.infer), and the OpenAPI document
 * is generated from them, so the three cannot drift apart.
 */
import { z } from 'zod';

/** Ids are Postgres uuids. */
export const uuid = z.uuid();

/** Times are ISO-8601 UTC, as Date#toISOString writes them. */
export const instant = z.iso.datetime().meta({ example: '2030-01-01T12:00:00.000Z' });

/** Money is integer minor units, never below one. */
export const money = z.number().int().positive().meta({ description: 'Integer minor units.', example: 2500 });

/** Counts and bid seqs. */
export const count = z.number().int().nonnegative().meta({ example: 3 });
