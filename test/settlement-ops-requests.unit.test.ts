import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkExtendRequest, checkReasonRequest } from '../domain/settlement/ops-requests.js';

const now = Date.parse('2026-12-05T12:00:00Z');
const payBy = Date.parse('2026-12-08T12:00:00Z');

test('when an operator marks paid or cancels, then a reason is required, and nothing else is read', () => {
  assert.deepEqual(checkReasonRequest({ reason: ' paid by wire ' }), { ok: true, request: { reason: 'paid by wire' } });
  for (const input of [
    undefined,
    null,
    {},
    { reason: '' },
    { reason: '   ' },
    { reason: 42 },
    'ops',
    { reason: 'x'.repeat(501) },
  ]) {
    assert.equal(checkReasonRequest(input).ok, false, JSON.stringify(input));
  }
});

test('when an operator extends payBy, then only a later ISO instant within the longest window is taken', () => {
  assert.deepEqual(checkExtendRequest({ payBy: '2026-12-10T12:00:00+01:00', reason: 'holiday' }, payBy, now), {
    ok: true,
    request: { payBy: '2026-12-10T11:00:00.000Z', reason: 'holiday' },
  });
  const refused = [
    undefined,
    {},
    { payBy: '2026-12-10T12:00:00Z' },
    { payBy: '2026-12-10', reason: 'r' },
    { payBy: '20250-01-01T00:00:00Z', reason: 'typo' },
    { payBy: '2026-13-40T00:00:00Z', reason: 'r' },
    { payBy: '2026-12-08T12:00:00Z', reason: 'not later' },
    { payBy: '2026-12-01T12:00:00Z', reason: 'earlier' },
    { payBy: '2027-02-01T12:00:00Z', reason: 'beyond 30 days' },
  ];
  for (const input of refused) assert.equal(checkExtendRequest(input, payBy, now).ok, false, JSON.stringify(input));
});
