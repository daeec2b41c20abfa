import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { test } from 'node:test';
import { DUMMY_PASSWORD_HASH } from '../api/accounts/sign-in.js';
import { hashPassword, parseStoredHash, SCRYPT_PARAMETERS, verifyPassword } from '../api/auth/password.js';

const PASSWORD = 'correct horse battery staple';

test('when a password is hashed, then that password verifies against the hash', async () => {
  assert.equal(await verifyPassword(PASSWORD, await hashPassword(PASSWORD)), true);
});

test('when another password is tried, then it does not verify, however close it is', async () => {
  const stored = await hashPassword(PASSWORD);
  for (const attempt of ['Correct horse battery staple', `${PASSWORD} `, PASSWORD.slice(0, -1), '']) {
    assert.equal(await verifyPassword(attempt, stored), false, JSON.stringify(attempt));
  }
});

test('when a password is hashed, then the hash is scrypt$N$r$p$salt$hash with the current parameters', async () => {
  const stored = await hashPassword(PASSWORD);
  assert.match(stored, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
  const [, , , , salt, hash] = stored.split('$');
  assert.equal(Buffer.from(salt!, 'base64url').length, 16);
  assert.equal(Buffer.from(hash!, 'base64url').length, 32);
  assert.ok(!stored.includes(PASSWORD));
});

test('when the same password is hashed twice, then the hashes differ (random salt) and both verify', async () => {
  const [first, second] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
  assert.notEqual(first, second);
  assert.equal(await verifyPassword(PASSWORD, first), true);
  assert.equal(await verifyPassword(PASSWORD, second), true);
});

test('when a stored hash carries other parameters, then it verifies with those (so they can change later)', async () => {
  const salt = randomBytes(16);
  const hash = scryptSync(PASSWORD, salt, 32, { N: 2 ** 14, r: 8, p: 1 });
  const older = `scrypt$16384$8$1$${salt.toString('base64url')}$${hash.toString('base64url')}`;
  assert.equal(await verifyPassword(PASSWORD, older), true);
  assert.equal(await verifyPassword('not it', older), false);
});

test('when the same text arrives composed or decomposed (é as one or two code points), then it verifies', async () => {
  const stored = await hashPassword('caf\u00e9 au lait');
  assert.equal(await verifyPassword('cafe\u0301 au lait', stored), true);
});

const salt = randomBytes(16).toString('base64url');
const hash = randomBytes(32).toString('base64url');
for (const [why, stored] of [
  ['empty', ''],
  ['the password itself', PASSWORD],
  ['a bcrypt hash', '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW'],
  ['another algorithm', `argon2id$32768$8$1$${salt}$${hash}`],
  ['a part missing', `scrypt$32768$8$1$${salt}`],
  ['a part too many', `scrypt$32768$8$1$${salt}$${hash}$x`],
  ['N not a power of two (scrypt itself would throw)', `scrypt$32767$8$1$${salt}$${hash}`],
  ['N far too large (gigabytes of memory)', `scrypt$1073741824$8$1$${salt}$${hash}`],
  ['r not a number', `scrypt$32768$eight$1$${salt}$${hash}`],
  ['p zero', `scrypt$32768$8$0$${salt}$${hash}`],
  ['a salt that is not base64url', `scrypt$32768$8$1$not+base/64==$${hash}`],
  ['an empty hash', `scrypt$32768$8$1$${salt}$`],
  ['a salt too short', `scrypt$32768$8$1$AAAA$${hash}`],
] as const) {
  test(`when the stored hash is malformed (${why}), then verify answers false without throwing`, async () => {
    assert.equal(await verifyPassword(PASSWORD, stored), false);
  });
}

test('when the dummy hash for unknown emails is read, then it has the current parameters (so it costs the same)', () => {
  const parsed = parseStoredHash(DUMMY_PASSWORD_HASH);
  assert.ok(parsed);
  assert.deepEqual({ N: parsed.N, r: parsed.r, p: parsed.p }, SCRYPT_PARAMETERS);
  assert.equal(parsed.hash.length, 32);
});
