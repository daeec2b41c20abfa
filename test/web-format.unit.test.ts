/** The web app's money and time formatting (web/src/format.ts): integer minor units in, words out, and back. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decimalOf, minorUnitsOf, money, timeLeft } from '../web/src/format.js';

describe('money', () => {
  test('when an amount in minor units is shown, then it is in its currency with its own decimals', () => {
    assert.match(money(123_456, 'EUR'), /1,?234\.56/);
    assert.match(money(123_456, 'EUR'), /€/);
    assert.match(money(5000, 'JPY'), /5,?000/);
    assert.doesNotMatch(money(5000, 'JPY'), /\./, 'the yen has no minor unit');
    assert.match(money(7, 'USD'), /0\.07/);
    // The largest amount the API takes, every digit exact (a float division would round the cents).
    assert.match(money(999_999_999_999_999, 'USD'), /9,?999,?999,?999,?999\.99/);
  });

  test('when a person types an amount, then it becomes exact minor units, never a float', () => {
    assert.equal(minorUnitsOf('12.50', 'EUR'), 1250);
    assert.equal(minorUnitsOf('12,5', 'EUR'), 1250);
    assert.equal(minorUnitsOf(' 12 ', 'EUR'), 1200);
    assert.equal(minorUnitsOf('0.29', 'USD'), 29, '0.29 * 100 is 28.999… as a float');
    assert.equal(minorUnitsOf('1200', 'JPY'), 1200);
  });

  test('when the text is not an amount in that currency, then it is refused (null)', () => {
    for (const text of ['', 'abc', '-5', '1.234', '1e3', '12.5.0']) assert.equal(minorUnitsOf(text, 'EUR'), null, text);
    assert.equal(minorUnitsOf('12.5', 'JPY'), null, 'the yen has no decimals');
  });

  test('when an amount goes back into an input, then it is a plain decimal that reads back the same', () => {
    for (const [amount, currency] of [
      [1250, 'EUR'],
      [7, 'USD'],
      [1200, 'JPY'],
    ] as const) {
      assert.equal(minorUnitsOf(decimalOf(amount, currency), currency), amount);
    }
    assert.equal(decimalOf(1250, 'EUR'), '12.50');
  });
});

describe('timeLeft', () => {
  const now = Date.UTC(2026, 0, 1);
  test('when time remains, then it is said in the two largest units', () => {
    assert.equal(timeLeft(now + (2 * 86_400 + 4 * 3600 + 5) * 1000, now), '2d 4h');
    assert.equal(timeLeft(now + (3 * 3600 + 12 * 60) * 1000, now), '3h 12m');
    assert.equal(timeLeft(now + (4 * 60 + 5) * 1000, now), '4m 05s');
    assert.equal(timeLeft(now + 12_000, now), '12s');
    assert.equal(timeLeft(now + 200, now), '1s', 'a part of a second left is still a second');
  });

  test('when the moment has passed, then there is nothing left (null)', () => {
    assert.equal(timeLeft(now, now), null);
    assert.equal(timeLeft(now - 1000, now), null);
  });
});
