import { inflateSync } from 'node:zlib';
import { Profiles, avatarPng, renameProblems } from './profiles';

describe('the mock accounts\' profiles', () => {
  it('shows a name from the handle, then what a rename says, keeping the account', () => {
    const profiles = new Profiles();
    const account = { network: 'x', handle: 'ada_lovelace' };
    const before = profiles.of(account);
    expect(before).toMatchObject({ handle: 'ada_lovelace', displayName: 'Ada Lovelace', renamed: false });
    profiles.rename({ network: 'x', handle: 'ada_lovelace', newHandle: 'countess' });
    const after = profiles.of(account);
    expect(after).toMatchObject({ handle: 'countess', displayName: 'Countess', renamed: true });
    expect(after.avatarPath).not.toBe(before.avatarPath);
    // Another network's account of the same handle is another account.
    expect(profiles.of({ network: 'mastodon', handle: 'ada_lovelace', instanceUrl: 'http://one' }).handle).toBe('ada_lovelace');
    profiles.rename({ network: 'x', handle: 'ada_lovelace', avatar: 'broken' });
    expect(profiles.of(account)).toMatchObject({ handle: 'countess', avatarPath: expect.stringMatching(/-gone\.png$/) });
  });

  it('draws a 64×64 PNG per seed', () => {
    const png = avatarPng('0123456789abcdef');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([64, 64]);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    expect(inflateSync(png.subarray(41, 41 + idatLength)).length).toBe(64 * (1 + 64 * 3));
    expect(avatarPng('fedcba9876543210').equals(png)).toBe(false);
  });

  it('says what is wrong with a rename', () => {
    expect(renameProblems({ network: 'x', handle: 'a', displayName: 'A' })).toEqual([]);
    expect(renameProblems({ network: 'nope', handle: '' })).toEqual([
      'network must be one of the mock networks',
      'handle (the account as it signed in) is required',
      'give newHandle, displayName, avatar or several',
    ]);
    expect(renameProblems({ network: 'mastodon', handle: 'a', newHandle: 'b' })).toEqual(['instanceUrl is required for mastodon']);
  });
});
