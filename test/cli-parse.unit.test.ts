/**
 * The command line's reading of what people type (cli/parse/): amounts in major units into exact integer
 * minor units, and durations into seconds. Bad input is a UsageError (exit 2), before any request.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { checkAmountShape, parseAmount } from '../cli/parse/amount.js';
import { parseDuration } from '../cli/parse/duration.js';
import { EXIT, UsageError } from '../cli/errors.js';
import { MAX_AMOUNT } from '../domain/money.js';

const refused = (run: () => unknown, text: string) =>
  assert.throws(run, (error: unknown) => error instanceof UsageError && error.exitCode === EXIT.usage, text);

describe('amounts', () => {
  test('when an amount is typed in major units, then it becomes exact minor units in its currency', () => {
    assert.equal(parseAmount('12.50', 'USD'), 1250);
    assert.equal(parseAmount('12.5', 'USD'), 1250);
    assert.equal(parseAmount('12', 'USD'), 1200);
    assert.equal(parseAmount(' 7.01 ', 'USD'), 701);
    assert.equal(parseAmount('0.29', 'USD'), 29, '0.29 * 100 is 28.999… as a float');
    assert.equal(parseAmount('1.005', 'KWD'), 1005, 'the dinar has three decimals');
    assert.equal(parseAmount('1500', 'JPY'), 1500, 'the yen has none');
    assert.equal(parseAmount('0012.50', 'EUR'), 1250);
  });

  test('when every amount with at most two decimals is typed, then the minor units are exactly the digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_AMOUNT }), (minor) => {
        const text = `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
        assert.equal(parseAmount(text, 'USD'), minor);
      }),
    );
  });

  test('when the text is not an amount (a sign, letters, an exponent, a comma, nothing), then a usage error', () => {
    for (const text of [
      '-1',
      '+1',
      'abc',
      '1e3',
      '12,50',
      '12.',
      '.5',
      '1.2.3',
      '',
      ' ',
      '0x10',
      '١٢',
      'Infinity',
      'NaN',
    ]) {
      refused(() => parseAmount(text, 'USD'), text);
      refused(() => checkAmountShape(text), text);
    }
  });

  test('when it has more decimals than the currency, then a usage error: nothing is rounded', () => {
    refused(() => parseAmount('12.345', 'USD'), '12.345 USD');
    refused(() => parseAmount('12.5', 'JPY'), '12.5 JPY');
    refused(() => parseAmount('1.0001', 'KWD'), '1.0001 KWD');
  });

  test('when it is zero or beyond what the API takes, then a usage error', () => {
    for (const text of ['0', '0.00', '000']) {
      refused(() => parseAmount(text, 'USD'), text);
      refused(() => checkAmountShape(text), text);
    }
    assert.equal(parseAmount(String(MAX_AMOUNT / 100), 'USD'), MAX_AMOUNT);
    refused(() => parseAmount(`${MAX_AMOUNT / 100}.01`, 'USD'), 'one cent too many');
    refused(() => parseAmount('9'.repeat(40), 'USD'), 'forty nines');
  });

  test('when only the shape is checked (a bid, before its currency is known), then decimals are left to the currency', () => {
    checkAmountShape('12.345');
    checkAmountShape('1500');
  });
});

describe('durations', () => {
  test('when a duration has a unit, then it is whole seconds', () => {
    assert.equal(parseDuration('45s'), 45);
    assert.equal(parseDuration('90m'), 5400);
    assert.equal(parseDuration('2h'), 7200);
    assert.equal(parseDuration('3d'), 259_200);
    assert.equal(parseDuration('1h30m'), 5400);
    assert.equal(parseDuration(' 2H '), 7200);
  });

  test('when it is not a number and a unit, is zero, or is absurdly long, then a usage error', () => {
    for (const text of ['', '90', 'h', '2 h', '-2h', '1.5h', '2w', 'abc', '0m', '0h0m', '400d', '9'.repeat(30) + 'd']) {
      refused(() => parseDuration(text), text);
    }
  });
});
