import { Channel } from '@herald/db';
import { KnownChannels } from './known-channels';

const channel = (id: string, workspaceId: string, network: string, status: Channel['status'] = 'active') =>
  Object.assign(new Channel(), { id, workspaceId, network, status, handle: 'h', timezone: 'UTC' });

describe('KnownChannels', () => {
  it('answers only when every id is known in that workspace, in any case', () => {
    const known = new KnownChannels();
    known.learn([channel('a', 'w1', 'x'), channel('b', 'w1', 'mastodon')]);
    const found = known.lookup('w1', ['A', 'b'])!;
    expect([...found.keys()]).toEqual(['a', 'b']);
    expect(found.get('b')).toEqual(expect.objectContaining({ id: 'b', workspaceId: 'w1', network: 'mastodon', status: 'active' }));
    expect(known.lookup('w1', ['a', 'c'])).toBeUndefined();
    expect(known.lookup('w2', ['a'])).toBeUndefined();
  });

  it('does not learn disconnected channels, and forgets on request', () => {
    const known = new KnownChannels();
    known.learn([channel('a', 'w1', 'x', 'disconnected'), channel('b', 'w1', 'x')]);
    expect(known.lookup('w1', ['a'])).toBeUndefined();
    known.forget(['B']);
    expect(known.lookup('w1', ['b'])).toBeUndefined();
  });

  it('keeps at most ten thousand, dropping the least recently learned', () => {
    const known = new KnownChannels();
    for (let index = 0; index < 10_001; index += 1) known.learn([channel(`c${index}`, 'w', 'x')]);
    expect(known.lookup('w', ['c0'])).toBeUndefined();
    expect(known.lookup('w', ['c1', 'c10000'])).toBeDefined();
  });
});
