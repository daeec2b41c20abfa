/**
 * How amounts and times read to people, shared by mail, the web app and the command line: money from
 * integer minor units, exactly (no float division, so 10^15 minor units still show every digit), and
 * the time left before an end.
 */
const formats = new Map<string, Intl.NumberFormat>();

function formatFor(currency: string, locale: string | undefined): Intl.NumberFormat {
  const key = `${locale ?? ''}:${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formats.set(key, format);
  }
  return format;
}

/** The currency's minor-unit digits (2 for USD, 0 for JPY). */
export const minorDigitsOf = (currency: string): number =>
  formatFor(currency, 'en').resolvedOptions().maximumFractionDigits ?? 2;

/** Integer minor units in the currency's own format; `locale` undefined: the runtime's (a browser's, its user's). */
export function moneyText(minorUnits: number, currency: string, locale: string | undefined = 'en'): string {
  const digits = minorDigitsOf(currency);
  const sign = minorUnits < 0 ? '-' : '';
  const units = String(Math.abs(minorUnits)).padStart(digits + 1, '0');
  const decimal = digits === 0 ? units : `${units.slice(0, -digits)}.${units.slice(-digits)}`;
  // A decimal string is formatted exactly (Intl takes strings as decimals).
  return formatFor(currency, locale).format(`${sign}${decimal}` as unknown as number);
}

/** "2d 4h", "3h 12m", "4m 05s", "12s": what is left until `endsAtMs`, or null when it has passed. */
export function timeLeft(endsAtMs: number, nowMs: number): string | null {
  const seconds = Math.ceil((endsAtMs - nowMs) / 1000);
  if (seconds <= 0) return null;
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
