/** Money from integer minor units in the auction's currency, and times in the viewer's own zone. */
import { minorDigitsOf, moneyText, timeLeft } from '../../domain/people-format.js';

export { timeLeft };

/** Exactly, in the viewer's own locale. */
export const money = (minorUnits: number, currency: string): string => moneyText(minorUnits, currency, undefined);

/** The minor units of a decimal amount a person typed ("12.50" in EUR is 1250); null if it is not one. */
export function minorUnitsOf(text: string, currency: string): number | null {
  const digits = minorDigitsOf(currency);
  const match = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(text);
  if (!match || (match[2]?.length ?? 0) > digits) return null;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || 0);
}

/** A plain decimal for an input's value (no currency sign, no grouping). */
export function decimalOf(minorUnits: number, currency: string): string {
  const digits = minorDigitsOf(currency);
  return digits === 0 ? String(minorUnits) : (minorUnits / 10 ** digits).toFixed(digits);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const when = (iso: string): string => dateTime.format(new Date(iso));
