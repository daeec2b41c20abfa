/**
 * Where webhooks may be sent: which addresses a webhook may connect to, and which URLs may be
 * registered. A webhook URL is chosen by any user and posted to from inside our network, so without
 * this a user could make the worker call internal services or a cloud metadata endpoint (server-side
 * request forgery; docs/SECURITY.md, "Webhooks").
 *
 * The rule is an allow list: only public unicast addresses, as ipaddr.js classifies them. Everything
 * else is refused: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16
 * with the 169.254.169.254 metadata address, fe80::/10), unspecified, carrier-grade NAT (100.64/10),
 * multicast, broadcast, reserved and documentation ranges, and the IPv6 forms that carry an IPv4
 * address inside (IPv4-mapped, NAT64, 6to4, Teredo): a mapped address is judged as its IPv4 address.
 * WEBHOOK_ALLOW_PRIVATE_NETWORKS lifts the rule (tests and local development).
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export const WEBHOOK_URL_MAX_LENGTH = 2048;

/** Why an address is refused (ipaddr.js's name for its range), or null when webhooks may connect to it. */
export function refusedRange(address: string): string | null {
  // A zone (fe80::1%eth0) says which interface, not which address: judged without it.
  const bare = address.replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return 'invalid';
  let parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

export const isAllowedAddress = (address: string, allowPrivateNetworks: boolean): boolean =>
  allowPrivateNetworks || refusedRange(address) === null;

/** The host of a URL as an address, when it is an IP literal (brackets of `[::1]` removed); else null. */
export function ipLiteralOf(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  // WHATWG URL parsing has already turned other IPv4 spellings (0x7f.1, 2130706433) into dotted quads.
  return isIP(bare) !== 0 ? bare : null;
}

export class AddressNotAllowedError extends Error {
  override name = 'AddressNotAllowedError';
  readonly code = 'ADDRESS_NOT_ALLOWED';

  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(
      host === address
        ? `address not allowed: ${address} is ${range}`
        : `address not allowed: ${host} resolves to ${address} (${range})`,
    );
  }
}

/**
 * What is wrong with a webhook URL as written, or null. https only (http too when private networks are
 * allowed); no credentials (they would be sent to, and shown from, a place meant for the URL only); no
 * fragment; and a literal address must be allowed. A host name is checked once resolved, by the caller.
 */
export function webhookUrlProblem(value: string, allowPrivateNetworks: boolean): string | null {
  if (value.length > WEBHOOK_URL_MAX_LENGTH) return `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  const schemes = allowPrivateNetworks ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) return allowPrivateNetworks ? 'must be an http(s) URL' : 'must be an https URL';
  if (url.username || url.password) return 'must not contain credentials';
  if (url.hash) return 'must not contain a fragment';
  if (!url.hostname) return 'must have a host';
  const literal = ipLiteralOf(url.hostname);
  if (literal !== null && !isAllowedAddress(literal, allowPrivateNetworks)) {
    return `must not point at a ${refusedRange(literal)} address`;
  }
  return null;
}
