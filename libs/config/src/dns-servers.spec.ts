import { loadConfig } from './herald-config';

describe('HERALD_DNS_SERVERS', () => {
  it('is empty by default (the system resolver), and lists servers by address, with or without a port', () => {
    expect(loadConfig({}).dnsServers).toEqual([]);
    expect(loadConfig({ HERALD_DNS_SERVERS: '127.0.0.1:5353, 9.9.9.9,::1,[2620:fe::fe]:53' }).dnsServers).toEqual(['127.0.0.1:5353', '9.9.9.9', '::1', '[2620:fe::fe]:53']);
  });

  it('refuses a server named by host name, which would need a resolver itself', () => {
    expect(() => loadConfig({ HERALD_DNS_SERVERS: 'dns.example:53' })).toThrow(/HERALD_DNS_SERVERS must list DNS servers by address/);
  });
});
