import { UrlPolicy, isInternalAddress } from './url-policy';

describe('UrlPolicy', () => {
  const policy = new UrlPolicy([]);

  it.each([
    'http://127.0.0.1/a.png',
    'http://10.1.2.3/a.png',
    'http://172.20.0.1/a.png',
    'http://192.168.1.1/a.png',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/a.png',
    'http://[fe80::1]/a.png',
    'http://[::ffff:127.0.0.1]/a.png',
    'http://localhost:8080/a.png',
    'http://printer.local/a.png',
    'ftp://example.com/a.png',
    'https://user:pw@example.com/a.png',
  ])('refuses %s', (url) => {
    expect(policy.refusal(url)).toBeDefined();
  });

  it.each(['https://cdn.example.com/a.png', 'http://93.184.216.34/a.png', 'https://[2606:4700::1111]/a.png'])('allows %s', (url) => {
    expect(policy.refusal(url)).toBeUndefined();
  });

  it('lets the allow-list open a host or a range', () => {
    const open = new UrlPolicy(['localhost', '127.0.0.0/8']);
    expect(open.refusal('http://localhost:9000/a.png')).toBeUndefined();
    expect(open.refusal('http://127.0.0.5/a.png')).toBeUndefined();
    expect(open.refusal('http://10.0.0.1/a.png')).toBeDefined();
  });
});

describe('the addresses no user-given URL reaches', () => {
  const policy = new UrlPolicy([]);

  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback, anywhere in 127/8', '127.255.0.9'],
    ['"this" network', '0.0.0.0'],
    ['private 10/8', '10.200.3.4'],
    ['private 172.16/12', '172.31.255.1'],
    ['private 192.168/16', '192.168.0.10'],
    ['link-local, cloud metadata', '169.254.169.254'],
    ['carrier-grade NAT 100.64/10', '100.100.100.200'],
    ['IETF protocol assignments (Oracle metadata)', '192.0.0.192'],
    ['benchmarking 198.18/15', '198.19.0.1'],
    ['multicast', '239.1.2.3'],
    ['reserved', '250.1.2.3'],
    ['broadcast', '255.255.255.255'],
    ['IPv6 loopback', '::1'],
    ['IPv6 unspecified', '::'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv6 link-local with a zone', 'fe80::1%eth0'],
    ['IPv6 unique-local', 'fd12:3456::1'],
    ['IPv6 unique-local fc00::/7 low half', 'fc00::1'],
    ['AWS metadata over IPv6', 'fd00:ec2::254'],
    ['NAT64 64:ff9b::/96', '64:ff9b::a00:1'],
    ['NAT64 of a public address too', '64:ff9b::808:808'],
    ['IPv6 multicast', 'ff02::1'],
    ['IPv4-mapped loopback, dotted', '::ffff:127.0.0.1'],
    ['IPv4-mapped loopback, hex', '::ffff:7f00:1'],
    ['IPv4-mapped private, spelled out', '0:0:0:0:0:ffff:0a00:0001'],
    ['IPv4-mapped metadata', '::ffff:169.254.169.254'],
    ['IPv4-mapped CGNAT', '::ffff:100.64.0.1'],
    ['IPv4-compatible (deprecated) loopback', '::127.0.0.1'],
    ['6to4 of a private address', '2002:c0a8:0001::1'],
  ])('refuses %s (%s)', (_kind, address) => {
    expect(isInternalAddress(address)).toBe(true);
    expect(policy.addressRefusal('public.example', address)).toBe('resolves to a private or loopback address');
  });

  it.each(['93.184.216.34', '8.8.8.8', '100.63.255.255', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2002:0808:0808::1'])('allows the public address %s', (address) => {
    expect(isInternalAddress(address)).toBe(false);
    expect(policy.addressRefusal('public.example', address)).toBeUndefined();
  });

  it.each([
    'http://[::ffff:7f00:1]/a',
    'http://[::ffff:127.0.0.1]:8080/a',
    'http://[64:ff9b::7f00:1]/a',
    'http://[fd00:ec2::254]/latest',
    'http://0x7f.1/a',
    'http://2130706433/a',
    'http://100.100.100.200/latest',
    'http://0/a',
  ])('refuses the address written in the URL %s, however it is spelled', (url) => {
    expect(policy.refusal(url)).toBe('points at a private or loopback address');
  });

  it('admits an allowed address whatever name reaches it, and an allowed name only by that name', () => {
    const open = new UrlPolicy(['127.0.0.1', '10.1.0.0/16', 'pds.internal']);
    expect(open.addressRefusal('anything.example', '127.0.0.1')).toBeUndefined();
    expect(open.addressRefusal('anything.example', '::ffff:127.0.0.1')).toBeUndefined();
    expect(open.addressRefusal('anything.example', '10.1.2.3')).toBeUndefined();
    expect(open.addressRefusal('anything.example', '10.2.0.1')).toBeDefined();
    expect(open.addressRefusal('anything.example', '127.0.0.2')).toBeDefined();
    expect(open.addressRefusal('pds.internal', '10.9.9.9')).toBeUndefined();
    expect(open.refusal('http://pds.internal/xrpc')).toBeUndefined();
    expect(open.addressRefusal('other.internal', '10.9.9.9')).toBeDefined();
  });

  it('refuses an allowlist range that is not one', () => {
    expect(() => new UrlPolicy(['10.0.0.0/40'])).toThrow(/not a CIDR range/);
  });
});
