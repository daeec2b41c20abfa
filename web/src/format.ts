/** Money from integer minor units in the auction's currency, and times in the viewer's own zone. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function money(minorUnits: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}

/** The minor units of a decimal amount a person typed ("12.50" in EUR is 1250); null if it is not one. */
export function minorUnitsOf(text: string, currency: string): number | null {
  const digits =
    new Intl.NumberFormat(undefined, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const match = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(text);
  if (!match || (match[2]?.length ?? 0) > digits) return null;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || 0);
}

/** A plain decimal for an input's value (no currency sign, no grouping). */
export function decimalOf(minorUnits: number, currency: string): string {
  const digits =
    new Intl.NumberFormat(undefined, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return digits === 0 ? String(minorUnits) : (minorUnits / 10 ** digits).toFixed(digits);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const when = (iso: string): string => dateTime.format(new Date(iso));

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
