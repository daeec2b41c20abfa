/**
 * Reading a selling form: typed amounts in minor units and dates as ISO instants, each refused with a
 * message that names the field, so a person sees what to fix before anything is sent.
 */
import { minorUnitsOf } from '../format';
import { textField } from '../form-data';

export class FormProblem extends Error {}

/** A required amount in the currency's minor units. */
export function amountField(data: FormData, name: string, label: string, currency: string): number {
  const minor = minorUnitsOf(textField(data, name), currency);
  if (minor === null)
    throw new FormProblem(`${label}: enter an amount such as ${currency === 'JPY' ? '1500' : '12.50'}.`);
  return minor;
}

/** An optional amount: null when the field is empty. */
export function optionalAmountField(data: FormData, name: string, label: string, currency: string): number | null {
  return textField(data, name).trim() === '' ? null : amountField(data, name, label, currency);
}

/** A whole number within bounds. */
export function wholeField(data: FormData, name: string, label: string, min: number, max: number): number {
  const value = Number(textField(data, name));
  if (!Number.isInteger(value) || value < min || value > max)
    throw new FormProblem(`${label}: enter a whole number from ${min} to ${max}.`);
  return value;
}

/** A datetime-local value (the viewer's own zone) as an ISO instant; undefined when empty. */
export function instantField(data: FormData, name: string, label: string): string | undefined {
  const text = textField(data, name);
  if (text === '') return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new FormProblem(`${label}: enter a date and time.`);
  return date.toISOString();
}
