/**
 * Amounts as people type them, in major units ("12.50"), read exactly into the integer minor units the
 * API takes (1250): digits are moved as text, never through a float, so 0.1 + 0.2 problems cannot
 * happen. How many decimals a currency has is Intl's answer (USD 2, JPY 0, KWD 3), as the web app's.
 */
import { MAX_AMOUNT } from '../../domain/money.js';
import { minorDigitsOf } from '../../domain/people-format.js';
import { UsageError } from '../errors.js';

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** The digits of a well-formed positive decimal, or a usage error naming `what`. */
function decimalParts(text: string, what: string): { whole: string; fraction: string } {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new UsageError(`${what}: "${text}" is not an amount; write it like 12.50 (no sign, no separators)`);
  return { whole: match[1]!, fraction: match[2] ?? '' };
}

/**
 * The amount as integer minor units of `currency`: "12.50" USD is 1250, "1500" JPY is 1500. A usage
 * error for anything else: a sign, letters, an exponent, more decimals than the currency has, zero, or
 * more than the API takes.
 */
export function parseAmount(text: string, currency: string, what = 'The amount'): number {
  const { whole, fraction } = decimalParts(text, what);
  const digits = minorDigitsOf(currency);
  if (fraction.length > digits) {
    throw new UsageError(
      digits === 0
        ? `${what} must be a whole number in ${currency} (got "${text}")`
        : `${what} has more than ${digits} decimals, which ${currency} does not have (got "${text}")`,
    );
  }
  const minor = BigInt(whole + fraction.padEnd(digits, '0'));
  if (minor <= 0n) throw new UsageError(`${what} must be more than zero (got "${text}")`);
  if (minor > BigInt(MAX_AMOUNT)) throw new UsageError(`${what} is more than the API takes (got "${text}")`);
  return Number(minor);
}

/**
 * Checks the shape alone, before the currency is known (a bid's currency is its auction's): a usage
 * error for what no currency would take. parseAmount decides the rest once the currency is known.
 */
export function checkAmountShape(text: string, what = 'The amount'): void {
  const { whole, fraction } = decimalParts(text, what);
  if (/^0*$/.test(whole + fraction)) throw new UsageError(`${what} must be more than zero (got "${text}")`);
}

/** A currency code as the API takes it (ISO 4217, upper case). */
export function parseCurrency(text: string): string {
  const code = text.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new UsageError(`--currency must be an ISO 4217 code such as USD (got "${text}")`);
  return code;
}
