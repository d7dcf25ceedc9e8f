/**
 * Outgoing URLs a user gives Herald (media, webhooks, the links a link card is made of) must not
 * point into the operator's own network: private, loopback, link-local and
 * other non-public addresses are refused unless HERALD_URL_ALLOWLIST names
 * the host or a range holding it.
 */
import { BlockList, isIP } from 'node:net';

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}
const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

export class UrlPolicy {
  private readonly hosts = new Set<string>();
  private readonly ranges = new BlockList();

  constructor(allowlist: string[]) {
    for (const entry of allowlist) {
      const [address, prefix] = entry.split('/');
      const family = address ? isIP(address) : 0;
      if (family && prefix !== undefined) this.ranges.addSubnet(address!, Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
      else if (family) this.ranges.addAddress(address!, family === 6 ? 'ipv6' : 'ipv4');
      else this.hosts.add(entry);
    }
  }

  /** Why the URL is refused, or undefined when it may be used. */
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
    if (this.allowed(host)) return undefined;
    const family = isIP(host);
    const mapped = host.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/)?.[1];
    if (mapped && PRIVATE.check(mapped, 'ipv4')) return 'points at a private or loopback address';
    if (family && PRIVATE.check(host, family === 6 ? 'ipv6' : 'ipv4')) return 'points at a private or loopback address';
    if (!family && INTERNAL_NAMES.test(host)) return 'points at an internal host name';
    return undefined;
  }

  /**
   * Why a host's resolved address is refused (a public name that resolves
   * into the operator's network), or undefined: what a fetch checks at
   * connect time, after DNS, so a name cannot point Herald inside.
   */
  addressRefusal(host: string, address: string): string | undefined {
    if (this.allowed(host.toLowerCase()) || this.allowed(address)) return undefined;
    const family = isIP(address);
    const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i)?.[1];
    if (mapped && PRIVATE.check(mapped, 'ipv4')) return `resolves to a private or loopback address (${address})`;
    if (family && PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4')) return `resolves to a private or loopback address (${address})`;
    return undefined;
  }

  private allowed(host: string): boolean {
    if (this.hosts.has(host)) return true;
    const family = isIP(host);
    return family !== 0 && this.ranges.check(host, family === 6 ? 'ipv6' : 'ipv4');
  }
}
