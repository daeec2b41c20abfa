/**
 * The client's address as per-IP limits count it. `req.ip` is the socket's peer, or, with TRUST_PROXY,
 * what the trusted proxies wrote in X-Forwarded-For; either way it is normalised here so one client has
 * one key, and so a header's text never reaches a Redis key name as it is.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Request } from 'express';

/** An address that is not one (a proxy wrote garbage): such requests share one bucket rather than none. */
const UNKNOWN = 'unknown';

/**
 * IPv4 as it is; an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, what a dual-stack socket reports) as
 * its IPv4; any other IPv6 address as its /64, the block one subscriber is given, within which they can
 * take a new address at will.
 */
export function clientAddressKey(address: string | undefined): string {
  if (address === undefined) return UNKNOWN;
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return UNKNOWN;
  const groups = expandIPv6(address);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

export const clientAddressOf = (req: Request) => clientAddressKey(req.ip);

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, an embedded IPv4 tail converted). */
function expandIPv6(address: string): number[] {
  const withoutZone = address.split('%')[0]!;
  const [head = '', tail] = withoutZone.split('::');
  const groupsOf = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}
