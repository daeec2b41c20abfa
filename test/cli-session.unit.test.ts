/**
 * Where the command line keeps its sessions (cli/token-store.ts) and whom it sends them to: the file
 * 0600 in a 0700 directory under XDG_CONFIG_HOME, one session per API, a lock that lets one refresh run
 * at a time; `--api` read into the base URL that keys them; the API's loopback rule for SSO
 * (api/sso/loopback.ts).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { isLoopbackRedirect, loopbackLocation } from '../api/sso/loopback.js';
import { apiUrlOf } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { TokenStore, type StoredSession } from '../cli/token-store.js';

const session = (token: string): StoredSession => ({
  accessToken: token,
  accessTokenExpiresAt: new Date(Date.now() + 900_000).toISOString(),
  refreshToken: `r-${token}`,
  refreshTokenExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
});

const freshDir = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gavel-store-')), 'gavel');

describe('the token store', () => {
  test('when a session is written, then the file is 0600 and its directory 0700, even under a loose umask or a loose directory', () => {
    const dir = freshDir();
    fs.mkdirSync(dir, { mode: 0o777 });
    fs.chmodSync(dir, 0o777);
    const umask = process.umask(0);
    try {
      new TokenStore(dir).write('http://a', session('one'));
    } finally {
      process.umask(umask);
    }
    assert.equal(fs.statSync(path.join(dir, 'credentials.json')).mode & 0o777, 0o600);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.deepEqual(
      fs.readdirSync(dir).filter((name) => name !== 'credentials.json'),
      [],
      'no temporary file left behind',
    );
  });

  test('when sessions with two APIs are kept, then each is read, replaced and removed on its own', () => {
    const store = new TokenStore(freshDir());
    assert.equal(store.read('http://a'), null);
    store.write('http://a', session('a'));
    store.write('http://b', session('b'));
    store.write('http://a', session('a2'));
    assert.equal(store.read('http://a')?.accessToken, 'a2');
    assert.equal(store.read('http://b')?.accessToken, 'b');
    store.remove('http://a');
    assert.equal(store.read('http://a'), null);
    assert.equal(store.read('http://b')?.accessToken, 'b');
  });

  test('when the file is not one it wrote (garbage, another shape), then it holds no session, and the next write replaces it', () => {
    const dir = freshDir();
    fs.mkdirSync(dir, { recursive: true });
    for (const text of ['not json', '[]', '{"version":2,"sessions":{}}', 'null']) {
      fs.writeFileSync(path.join(dir, 'credentials.json'), text);
      assert.equal(new TokenStore(dir).read('http://a'), null, text);
    }
    new TokenStore(dir).write('http://a', session('a'));
    assert.equal(new TokenStore(dir).read('http://a')?.accessToken, 'a');
  });

  test('when two refreshes want the lock at once, then they run one after the other; a lock left by a dead command is taken after a while', async () => {
    const store = new TokenStore(freshDir());
    const order: string[] = [];
    const work = (name: string) =>
      store.withLock(async () => {
        order.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        order.push(`${name} out`);
      });
    await Promise.all([work('a'), work('b')]);
    assert.deepEqual(order.slice(0, 2), [order[0], order[0]!.replace('in', 'out')], order.join(', '));

    const lock = path.join(store.dir, 'credentials.lock');
    fs.writeFileSync(lock, '');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    assert.equal(await store.withLock(() => Promise.resolve('taken')), 'taken');
    assert.equal(fs.existsSync(lock), false);
  });
});

describe('--api', () => {
  test('when it is an http(s) URL, then it becomes a base URL without a trailing slash (the key of its session)', () => {
    assert.equal(apiUrlOf('http://localhost:3000'), 'http://localhost:3000');
    assert.equal(apiUrlOf('http://localhost:3000/'), 'http://localhost:3000');
    assert.equal(apiUrlOf('HTTPS://Gavel.Example.com/api/'), 'https://gavel.example.com/api');
  });

  test('when it is anything else, then a usage error', () => {
    for (const text of ['localhost:3000', 'ftp://x', 'http://u:p@x', 'http://x/?q=1', 'http://x/#f', '']) {
      assert.throws(() => apiUrlOf(text), UsageError, text);
    }
  });
});

describe('the loopback redirect rule (client=cli)', () => {
  test('when the address is 127.0.0.1 or localhost over http with a port, as a parser writes it, then it is taken', () => {
    for (const uri of ['http://127.0.0.1:53682/callback', 'http://localhost:8000/', 'http://127.0.0.1:1/a/b']) {
      assert.equal(isLoopbackRedirect(uri), true, uri);
    }
  });

  test('when it is another host, scheme, no port, credentials, a query, a fragment or odd spelling, then it is refused', () => {
    for (const uri of [
      'https://127.0.0.1:5000/',
      'http://127.0.0.2:5000/',
      'http://localhost.evil.example:5000/',
      'http://127.0.0.1/',
      'http://a@127.0.0.1:5000/',
      'http://127.0.0.1:5000/?x=1',
      'http://127.0.0.1:5000/#x',
      'http://127.0.0.1:5000',
      'http://LOCALHOST:5000/',
      'http://2130706433:5000/',
      'http://[::1]:5000/',
      '//127.0.0.1:5000/',
      'not a url',
    ]) {
      assert.equal(isLoopbackRedirect(uri), false, uri);
    }
  });

  test('when the outcome is added, then the code or error and the state are the only query', () => {
    assert.equal(
      loopbackLocation('http://127.0.0.1:5000/cb', 's&t', { code: 'c+1' }),
      'http://127.0.0.1:5000/cb?code=c%2B1&state=s%26t',
    );
    assert.equal(
      loopbackLocation('http://localhost:9/', 'st', { error: 'SSO_STATE_INVALID' }),
      'http://localhost:9/?error=SSO_STATE_INVALID&state=st',
    );
  });
});
