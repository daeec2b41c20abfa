/**
 * The moderation rules (domain/moderation/): who is an admin, and the block scores that let every API
 * process agree on the latest block state whatever order the news reaches it in.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AUDIT_ACTIONS, isAuditAction } from '../domain/moderation/audit-actions.js';
import { blockScore, isBlockedScore } from '../domain/moderation/blocks.js';
import { adminEmailSet, effectiveRole, isAdmin, isAdminByConfig } from '../domain/moderation/roles.js';

describe('who is an admin', () => {
  const configured = adminEmailSet(['Ada@Example.com', ' ops@example.com ']);

  test('when the stored role is admin, then the account is an admin whatever its email', () => {
    assert.equal(isAdmin({ role: 'admin', email: 'someone@example.com' }, configured), true);
    assert.equal(isAdmin({ role: 'admin', email: 'someone@example.com' }, adminEmailSet([])), true);
  });

  test('when the email is in ADMIN_EMAILS, then the account is an admin whatever its stored role, in any case', () => {
    assert.equal(isAdmin({ role: 'user', email: 'ada@example.com' }, configured), true);
    assert.equal(isAdmin({ role: 'user', email: 'ADA@EXAMPLE.COM' }, configured), true);
    assert.equal(isAdmin({ role: 'user', email: 'ops@example.com' }, configured), true);
    assert.equal(effectiveRole({ role: 'user', email: 'Ops@Example.Com' }, configured), 'admin');
    assert.equal(isAdminByConfig('ADA@example.com', configured), true);
  });

  test('when neither, then the account is a user; a near miss of a listed email is not an admin', () => {
    assert.equal(effectiveRole({ role: 'user', email: 'someone@example.com' }, configured), 'user');
    assert.equal(isAdmin({ role: 'user', email: 'ada@example.co' }, configured), false);
    assert.equal(isAdmin({ role: 'user', email: 'xada@example.com' }, configured), false);
    assert.equal(isAdmin({ role: 'user', email: 'ada@example.com' }, adminEmailSet([])), false);
    assert.equal(isAdminByConfig('someone@example.com', configured), false);
  });
});

describe('block scores', () => {
  test('the lowest bit says blocked', () => {
    assert.equal(isBlockedScore(blockScore(1, true)), true);
    assert.equal(isBlockedScore(blockScore(2, false)), false);
    assert.equal(isBlockedScore(blockScore(0, false)), false);
  });

  test('a later version always scores higher, whichever way either change went (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 2 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.boolean(),
        fc.boolean(),
        (version, later, before, after) => {
          assert.ok(blockScore(version + later, after) > blockScore(version, before));
          assert.equal(isBlockedScore(blockScore(version, before)), before);
        },
      ),
    );
  });
});

describe('audit actions', () => {
  test('each name is snake_case and listed once; anything else is not an action', () => {
    assert.equal(new Set(AUDIT_ACTIONS).size, AUDIT_ACTIONS.length);
    for (const action of AUDIT_ACTIONS) assert.match(action, /^[a-z]+(_[a-z]+)*$/);
    assert.equal(isAuditAction('user_blocked'), true);
    assert.equal(isAuditAction('USER_BLOCKED'), false);
    assert.equal(isAuditAction('drop_table'), false);
  });
});
