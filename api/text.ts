/**
 * Free text the API stores (titles, descriptions, names, reasons). Postgres text cannot hold U+0000:
 * refused here, as a 400, rather than by the insert, as a 500 (or, for a cancel reason the workflow
 * writes later, as an activity failing for ever).
 */
import { z } from 'zod';

// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this refuses
const NO_NUL = /^[^\u0000]*$/;

export const storedText = (max: number) =>
  z
    .string()
    .max(max)
    .regex(NO_NUL, 'must not contain U+0000')
    .meta({ description: `At most ${max} characters.` });

/** Exactly what String.prototype.trim() removes (ECMA-262 WhiteSpace and LineTerminator). */
const TRIMMED = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/**
 * No U+0000, and at least one character trim() keeps. The same expression is the check (on the
 * trimmed value) and the document's pattern (on what the client sends): for any string the two agree,
 * as trim() never removes U+0000. JSON Schema has no "trim", so without it the document would call
 * "   " valid, and a client sending it would get a 400 the document did not promise.
 */
const NOT_BLANK = new RegExp(`^[^\\u0000]*[^\\u0000${TRIMMED}][^\\u0000]*$`);

/** Trimmed before its length is checked. */
export const trimmedText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .regex(NOT_BLANK, 'must not be blank or contain U+0000')
    .meta({ description: `Trimmed; then ${min} to ${max} characters.` });
