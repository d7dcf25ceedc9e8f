/**
 * Outgoing URLs a user gives Herald (webhooks, link cards, media imports,
 * Mastodon instances, Bluesky services) must not point into the operator's
 * own network: loopback, private, link-local, unique-local, CGNAT, NAT64,
 * multicast, reserved and metadata addresses (and the IPv4-mapped IPv6 forms
 * of each) are refused unless HERALD_URL_ALLOWLIST names them: a host name
 * there admits that name only; an address or a CIDR range admits that
 * address whatever name reaches it. The text of a URL is checked here; the
 * address its name resolves to is checked at connect time by `Outbound`.
 */
import { BlockList, isIP } from 'node:net';

/** IPv4 ranges no user-given URL may reach. */
const REFUSED_V4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT (Alibaba's metadata 100.100.100.200 too)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata 169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments (Oracle's metadata 192.0.0.192)
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  REFUSED_V4.addSubnet(network, prefix, 'ipv4');
}

/** IPv6 ranges refused outright (those that embed an IPv4 address are judged by it, below). */
const REFUSED_V6 = new BlockList();
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback, and the deprecated IPv4-compatible ::a.b.c.d
  ['::ffff:0:0:0', 96], // IPv4-translated
  ['64:ff9b::', 96], // NAT64: reaches any IPv4 address through the gateway
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique-local (AWS's metadata fd00:ec2::254 too)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  REFUSED_V6.addSubnet(network, prefix, 'ipv6');
}

const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

/**
 * Whether an address (v4 or v6, any spelling) is one Herald never calls
 * unless allowed: the IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`)
 * or 6to4 (`2002:AABB:CCDD::`) address is judged as that IPv4 address.
 */
export function isInternalAddress(address: string): boolean {
  const plain = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(plain);
  if (family === 4) return REFUSED_V4.check(plain, 'ipv4');
  if (family !== 6) return true; // not an address at all: never reached on its word
  const embedded = embeddedIPv4(plain);
  if (embedded !== undefined) return REFUSED_V4.check(embedded, 'ipv4');
  return REFUSED_V6.check(plain, 'ipv6');
}

/** The IPv4 address an IPv4-mapped (::ffff:0:0/96) or 6to4 (2002::/16) address carries. */
export function embeddedIPv4(address: string): string | undefined {
  const groups = ipv6Groups(address);
  if (!groups) return undefined;
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail and `::` understood). */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const octets = dotted[2]!.split('.').map(Number);
    text = `${dotted[1]}${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;
  }
  const [head, tail, extra] = text.split('::');
  if (extra !== undefined) return undefined;
  const part = (piece: string | undefined) => (piece ? piece.split(':').map((group) => parseInt(group, 16)) : []);
  const front = part(head);
  const back = part(tail);
  const missing = 8 - front.length - back.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return undefined;
  const groups = [...front, ...new Array<number>(Math.max(0, missing)).fill(0), ...back];
  return groups.length === 8 && groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? groups : undefined;
}

export class UrlPolicy {
  private readonly hosts = new Set<string>();
  private readonly ranges = new BlockList();

  /** `allowlist`: host names, addresses and CIDR ranges (HERALD_URL_ALLOWLIST). */
  constructor(allowlist: string[]) {
    for (const raw of allowlist) {
      const entry = raw.trim().toLowerCase().replace(/^\[|\]$/g, '');
      if (!entry) continue;
      const [address, prefix] = entry.split('/');
      const family = address ? isIP(address) : 0;
      if (family && prefix !== undefined) {
        const bits = Number(prefix);
        if (!Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32)) throw new Error(`HERALD_URL_ALLOWLIST: ${raw} is not a CIDR range`);
        this.ranges.addSubnet(address!, bits, family === 6 ? 'ipv6' : 'ipv4');
      } else if (family) this.ranges.addAddress(address!, family === 6 ? 'ipv6' : 'ipv4');
      else this.hosts.add(entry);
    }
  }

  /** Why the URL's text is refused, or undefined when it may be tried (its name's address is checked when connecting). */
  refusal(raw: string): string | undefined {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'is not a URL';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
    if (url.username || url.password) return 'must not carry credentials';
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (isIP(host)) return this.addressRefusal(host, host) ? 'points at a private or loopback address' : undefined;
    if (this.hosts.has(host)) return undefined;
    if (INTERNAL_NAMES.test(host)) return 'points at an internal host name';
    return undefined;
  }

  /**
   * Why an address a host name resolved to is refused, or undefined: what a
   * request checks at connect time, after DNS, so that a public name cannot
   * point Herald inside. The address is not named: where an internal name
   * points is not the user's to learn.
   */
  addressRefusal(host: string, address: string): string | undefined {
    const name = host.replace(/^\[|\]$/g, '').toLowerCase();
    if (!isIP(name) && this.hosts.has(name)) return undefined;
    if (this.addressAllowed(address)) return undefined;
    return isInternalAddress(address) ? 'resolves to a private or loopback address' : undefined;
  }

  private addressAllowed(address: string): boolean {
    const plain = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
    const family = isIP(plain);
    if (family === 0) return false;
    if (this.ranges.check(plain, family === 6 ? 'ipv6' : 'ipv4')) return true;
    const embedded = family === 6 ? embeddedIPv4(plain) : undefined;
    return embedded !== undefined && this.ranges.check(embedded, 'ipv4');
  }
}
