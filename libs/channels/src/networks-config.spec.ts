import { ConfigError, loadConfig } from '@herald/config';
import { NETWORKS_SLICE, networksConfig } from './networks-config';

/** The networks' slice as an environment gives it, read the way a process reads it. */
function networks(env: Record<string, string>) {
  return networksConfig(loadConfig(env));
}

describe("the networks' slice of the configuration", () => {
  it('has no OAuth app until both its settings are given, and names the half that is missing', () => {
    expect(networks({}).oauthApps).toEqual({ x: undefined, linkedin: undefined, meta: undefined });
    expect(networks({ X_CLIENT_ID: 'id', X_CLIENT_SECRET: 'secret', GOOGLE_CLIENT_ID: 'g', GOOGLE_CLIENT_SECRET: 's' }).oauthApps).toMatchObject({ x: { clientId: 'id', clientSecret: 'secret' }, google: { clientId: 'g', clientSecret: 's' } });
    expect(() => networks({ META_APP_ID: 'id' })).toThrow(/META_APP_SECRET is missing \(META_APP_ID is set; set both or neither\)/);
  });

  it('takes the variables that replace a real network\'s URL, without a trailing slash, and names one that is not a URL', () => {
    expect(networks({ X_API_URL: 'https://x.example/', PINTEREST_API_URL: 'http://127.0.0.1:9/' }).urls).toEqual({ X_API_URL: 'https://x.example', PINTEREST_API_URL: 'http://127.0.0.1:9' });
    expect(() => networks({ LINKEDIN_API_URL: 'ftp://x' })).toThrow(/LINKEDIN_API_URL/);
  });

  it("reads the described networks' settings, each its default when not given, and names a value not among its own", () => {
    expect(networks({}).settings).toEqual({ TIKTOK_VIDEO_SOURCE: 'upload' });
    expect(networks({ TIKTOK_VIDEO_SOURCE: 'pull' }).settings.TIKTOK_VIDEO_SOURCE).toBe('pull');
    expect(() => networks({ TIKTOK_VIDEO_SOURCE: 'sideways' })).toThrow(/TIKTOK_VIDEO_SOURCE/);
  });

  it('has the networks\' documented posting caps, changed per network by NETWORK_QUOTAS', () => {
    const defaults = networks({}).quotas;
    expect(defaults.threads).toEqual({ rules: [{ posts: 250, windowMs: 86_400_000 }] });
    expect(defaults.instagram).toEqual({ rules: [{ posts: 100, windowMs: 86_400_000 }], account: true });
    expect(defaults.x).toEqual({ rules: [{ posts: 100, windowMs: 900_000 }] });
    expect(defaults.bluesky!.rules).toEqual([{ posts: 1666, windowMs: 3_600_000 }, { posts: 11666, windowMs: 86_400_000 }]);
    expect(defaults.mastodon).toBeUndefined();
    const changed = networks({ NETWORK_QUOTAS: 'x=off; mastodon=300/3h ;threads=10/1h,100/24h' }).quotas;
    expect(changed.x).toEqual({ rules: [] });
    expect(changed.mastodon).toEqual({ rules: [{ posts: 300, windowMs: 3 * 3_600_000 }] });
    expect(changed.threads!.rules).toEqual([{ posts: 10, windowMs: 3_600_000 }, { posts: 100, windowMs: 86_400_000 }]);
    // Networks not named keep their defaults.
    expect(changed.bluesky).toEqual(defaults.bluesky);
  });

  it('names a NETWORK_QUOTAS entry it cannot read, a misspelt network among them', () => {
    for (const bad of ['threds=250/24h', 'threads', 'threads=250', 'threads=lots/24h', 'threads=0/24h', 'threads=250/1ms']) {
      expect(() => networks({ NETWORK_QUOTAS: bad })).toThrow(/NETWORK_QUOTAS/);
    }
  });

  it('reports its problems with the rest of the configuration\'s, at once, when a process loads it with its slices', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', NETWORK_QUOTAS: 'threds=1/1h', X_CLIENT_ID: 'id' }, [NETWORKS_SLICE]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toMatch(/PORT[\s\S]*X_CLIENT_SECRET is missing[\s\S]*NETWORK_QUOTAS: "threds"/);
    // Without the slice, Herald's own settings say nothing of the networks'.
    expect(() => loadConfig({ NETWORK_QUOTAS: 'threds=1/1h' })).not.toThrow();
  });

  it('is read once per config, from the environment the config was read from (not the process\'s)', () => {
    const config = loadConfig({ NETWORK_QUOTAS: 'mastodon=7/1h' });
    const before = process.env.NETWORK_QUOTAS;
    process.env.NETWORK_QUOTAS = 'mastodon=1/1h';
    try {
      expect(networksConfig(config).quotas.mastodon).toEqual({ rules: [{ posts: 7, windowMs: 3_600_000 }] });
      expect(networksConfig(config)).toBe(networksConfig(config));
    } finally {
      if (before === undefined) delete process.env.NETWORK_QUOTAS;
      else process.env.NETWORK_QUOTAS = before;
    }
  });
});
