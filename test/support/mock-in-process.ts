/**
 * The mock networks alone, inside the test (the medium tier's
 * `startMockNetworks()`): the control surface and every network on free
 * loopback ports, as the built mock serves them as a process, without the
 * process. Imports nothing of Herald, as the mock does not.
 */
import { readConfig } from '../../apps/mock-social/src/config';
import { startMock } from '../../apps/mock-social/src/servers';
import { http } from './http';
import type { MockNetworks } from './mock-networks';

export async function startMockNetworksInProcess(env: Record<string, string> = {}): Promise<MockNetworks> {
  const mock = await startMock(readConfig({ ...process.env, MOCK_SOCIAL_PORT: '0', MOCK_SOCIAL_NETWORK_PORTS: '0', ...env }));
  const controlUrl = mock.controlUrl;
  const listed: MockNetworks['listed'] = (await http('GET', `${controlUrl}/_mock/networks`)).body.data;
  const base = (network: string, instance?: string) => listed.find((entry) => entry.network === network && (!instance || entry.instance === instance))!.baseUrl;
  let stopped = false;
  return {
    controlUrl,
    urls: {
      x: base('x'),
      bluesky: base('bluesky'),
      mastodon: base('mastodon', 'one'),
      'mastodon-two': base('mastodon', 'two'),
      linkedin: base('linkedin'),
      threads: base('threads'),
      instagram: base('instagram'),
      facebook: base('facebook'),
      plc: listed.find((entry) => entry.network === 'bluesky')!.plcUrl!,
    },
    listed,
    output: [],
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await mock.close();
    },
  };
}
