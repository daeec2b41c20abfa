/**
 * Free text that is trimmed before its length is checked (titles, names, reasons). JSON Schema has no
 * "trim", so the OpenAPI document adds a pattern that says what the trim implies: at least one
 * character that JavaScript's trim() keeps. Without it the document would call "   " valid, and a
 * client (or schemathesis) sending it would get a 400 the document did not promise.
 */
import { z } from 'zod';

/** Exactly what String.prototype.trim() removes (ECMA-262 WhiteSpace and LineTerminator). */
const TRIMMED = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

export const trimmedText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .meta({ pattern: `[^${TRIMMED}]`, description: `Trimmed; then ${min} to ${max} characters.` });
