/**
 * Where webhooks may connect and which URLs may be registered (domain/notifications/network-policy.ts),
 * the retry schedule (domain/notifications/webhook-retry.ts), and the webhook settings in config/env.ts.
 * No services.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../config/env.js';
import {
  ipLiteralOf,
  isAllowedAddress,
  refusedRange,
  webhookUrlProblem,
} from '../domain/notifications/network-policy.js';
import { retryDelayMs } from '../domain/notifications/webhook-retry.js';

const REFUSED: Record<string, string[]> = {
  loopback: ['127.0.0.1', '127.255.255.254', '::1'],
  private: ['10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.0.1', '192.168.255.255'],
  uniqueLocal: ['fc00::1', 'fd12:3456:789a::1'],
  linkLocal: ['169.254.0.1', '169.254.169.254', 'fe80::1', 'febf::1', 'fe80::1%eth0'],
  unspecified: ['0.0.0.0', '0.1.2.3', '::'],
  carrierGradeNat: ['100.64.0.1', '100.127.255.255'],
  multicast: ['224.0.0.1', '239.255.255.255', 'ff02::1'],
  broadcast: ['255.255.255.255'],
  reserved: ['240.0.0.1', '192.0.2.1', '198.51.100.1', '203.0.113.1', '2001:db8::1'],
};

describe('addresses', () => {
  for (const [range, addresses] of Object.entries(REFUSED)) {
    test(`when an address is ${range}, then webhooks may not connect to it`, () => {
      for (const address of addresses) {
        assert.notEqual(refusedRange(address), null, address);
        assert.equal(isAllowedAddress(address, false), false, address);
      }
    });
  }

  test('when an IPv6 address maps or embeds a refused IPv4 address, then it is refused too', () => {
    for (const address of [
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '::ffff:169.254.169.254',
      '::ffff:192.168.1.1',
    ]) {
      assert.equal(isAllowedAddress(address, false), false, address);
    }
    // NAT64, 6to4 and Teredo carry an IPv4 address the far end may unwrap: none are plain public unicast.
    for (const address of ['64:ff9b::7f00:1', '2002:7f00:1::', '2001:0:7f00:1::1']) {
      assert.equal(isAllowedAddress(address, false), false, address);
    }
  });

  test('when an address is public unicast, then webhooks may connect to it', () => {
    for (const address of [
      '93.184.216.34',
      '8.8.8.8',
      '1.1.1.1',
      '172.15.255.255',
      '172.32.0.1',
      '100.63.255.255',
      '100.128.0.1',
      '169.253.255.255',
      '::ffff:8.8.8.8',
      '2606:4700:4700::1111',
      '2a00:1450:4001:80b::200e',
    ]) {
      assert.equal(refusedRange(address), null, address);
      assert.equal(isAllowedAddress(address, false), true, address);
    }
  });

  test('when private networks are allowed, then every address is', () => {
    for (const address of ['127.0.0.1', '10.0.0.1', '169.254.169.254', '::1', 'fe80::1']) {
      assert.equal(isAllowedAddress(address, true), true, address);
    }
  });

  test('when something is not an address, then it is refused as invalid', () => {
    assert.equal(refusedRange('localhost'), 'invalid');
    assert.equal(isAllowedAddress('256.1.1.1', false), false);
  });

  test('when a URL host is an IP literal, then it is returned without brackets; a name is not', () => {
    assert.equal(ipLiteralOf('[::1]'), '::1');
    assert.equal(ipLiteralOf('127.0.0.1'), '127.0.0.1');
    assert.equal(ipLiteralOf('hooks.example.com'), null);
  });
});

describe('URLs', () => {
  test('when a URL is https to a host name or a public address, then it may be registered', () => {
    for (const url of [
      'https://hooks.example.com/gavel',
      'https://hooks.example.com:8443/a?b=c',
      'https://93.184.216.34/x',
    ]) {
      assert.equal(webhookUrlProblem(url, false), null, url);
    }
  });

  test('when a URL is not https, then it is refused; with private networks allowed, http is accepted', () => {
    assert.match(webhookUrlProblem('http://hooks.example.com/', false)!, /https/);
    assert.equal(webhookUrlProblem('http://127.0.0.1:8080/', true), null);
    for (const url of ['ftp://hooks.example.com/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      assert.notEqual(webhookUrlProblem(url, true), null, url);
    }
  });

  test('when a URL carries credentials or a fragment, or is not absolute, then it is refused', () => {
    assert.match(webhookUrlProblem('https://user:pass@hooks.example.com/', false)!, /credentials/);
    assert.match(webhookUrlProblem('https://user@hooks.example.com/', false)!, /credentials/);
    assert.match(webhookUrlProblem('https://hooks.example.com/#x', false)!, /fragment/);
    assert.match(webhookUrlProblem('/relative', false)!, /absolute/);
  });

  test('when a URL is too long, then it is refused', () => {
    assert.match(webhookUrlProblem(`https://hooks.example.com/${'a'.repeat(2048)}`, false)!, /at most/);
  });

  test('when a URL names a refused address in any spelling, then it is refused', () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://169.254.169.254/latest/meta-data',
      'https://0x7f.1/',
      'https://2130706433/',
      'https://10.1.2.3/',
      'https://0.0.0.0/',
    ]) {
      assert.match(webhookUrlProblem(url, false) ?? 'allowed', /must not point/, url);
    }
  });
});

describe('retry schedule', () => {
  const schedule = [5_000, 300_000, 1_800_000];

  test('when attempts fail, then each waits its step of the schedule, the last step repeating', () => {
    const middle = () => 0.5;
    assert.deepEqual(
      [1, 2, 3, 4, 9].map((attempt) => retryDelayMs(attempt, schedule, middle)),
      [5_000, 300_000, 1_800_000, 1_800_000, 1_800_000],
    );
  });

  test('when jitter applies, then a wait moves by at most 20% either way', () => {
    assert.equal(
      retryDelayMs(1, schedule, () => 0),
      4_000,
    );
    assert.equal(
      retryDelayMs(1, schedule, () => 0.999999),
      6_000,
    );
    for (let i = 0; i < 200; i++) {
      const delay = retryDelayMs(2, schedule);
      assert.ok(delay >= 240_000 && delay <= 360_000, String(delay));
    }
  });
});

describe('config', () => {
  test('when nothing is set, then webhooks run as production should: public addresses only, the spec schedule, 24 h', () => {
    const config = parseConfig({});
    assert.equal(config.WEBHOOK_ALLOW_PRIVATE_NETWORKS, false);
    assert.equal(config.WEBHOOK_TIMEOUT_MS, 10_000);
    assert.deepEqual(
      config.WEBHOOK_RETRY_SCHEDULE,
      [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000].map((s) => s * 1000),
    );
    assert.equal(config.WEBHOOK_RETRY_PERIOD_SECONDS, 86_400);
    assert.equal(config.WEBHOOKS_PER_USER, 10);
  });

  test('when a schedule is written with units, then it is read in milliseconds; a bad one stops the process', () => {
    assert.deepEqual(
      parseConfig({ WEBHOOK_RETRY_SCHEDULE: '100ms, 2s,1m,1h' }).WEBHOOK_RETRY_SCHEDULE,
      [100, 2000, 60_000, 3_600_000],
    );
    for (const bad of ['5', '5x', '0s', '25h', '5s,,5m', 'soon']) {
      assert.throws(() => parseConfig({ WEBHOOK_RETRY_SCHEDULE: bad }), /WEBHOOK_RETRY_SCHEDULE/, bad);
    }
  });

  test('when the private-network flag is set, then true/1 turn it on and anything else is refused', () => {
    assert.equal(parseConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).WEBHOOK_ALLOW_PRIVATE_NETWORKS, true);
    assert.equal(parseConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1' }).WEBHOOK_ALLOW_PRIVATE_NETWORKS, true);
    assert.throws(() => parseConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes' }), /WEBHOOK_ALLOW_PRIVATE_NETWORKS/);
  });
});
