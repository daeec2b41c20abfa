/** Money for people to read: integer minor units shown in the currency's own format, with no float arithmetic. */
const digitsOf = (currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

export function moneyText(minorUnits: number, currency: string): string {
  const digits = digitsOf(currency);
  const sign = minorUnits < 0 ? '-' : '';
  const units = String(Math.abs(minorUnits)).padStart(digits + 1, '0');
  const decimal = digits === 0 ? units : `${units.slice(0, -digits)}.${units.slice(-digits)}`;
  // A decimal string is formatted exactly (Intl takes strings as decimals).
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(`${sign}${decimal}` as unknown as number);
}
