import { UrlPolicy } from './url-policy';

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
