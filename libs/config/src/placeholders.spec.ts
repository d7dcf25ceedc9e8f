import { loadConfig } from './herald-config';
import { isPlaceholder } from './placeholders';

describe('placeholder secrets', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const production = { NODE_ENV: 'production', HERALD_ADMIN_TOKEN: 'a-real-token-of-32-characters-ok', HERALD_ENCRYPTION_KEY: key };

  it('stops a production process given the old compose default as the admin token, naming the variable', () => {
    expect(() => loadConfig({ ...production, HERALD_ADMIN_TOKEN: 'change-me-please-change-me' })).toThrow(/HERALD_ADMIN_TOKEN is a known placeholder/);
    expect(() => loadConfig({ ...production, HERALD_ADMIN_TOKEN: 'CHANGE_ME_PLEASE_CHANGE_ME' })).toThrow(/HERALD_ADMIN_TOKEN is a known placeholder/);
    expect(() => loadConfig({ ...production, HERALD_ADMIN_TOKEN: 'please-replace-me-before-going-live' })).toThrow(/HERALD_ADMIN_TOKEN/);
  });

  it('refuses a placeholder link secret or old key too', () => {
    expect(() => loadConfig({ ...production, MEDIA_LINK_SECRET: 'changeme' })).toThrow(/MEDIA_LINK_SECRET is a known placeholder/);
    expect(() => loadConfig({ ...production, HERALD_ENCRYPTION_OLD_KEYS: `${key},change-me` })).toThrow(/HERALD_ENCRYPTION_OLD_KEYS is a known placeholder/);
  });

  it('takes real values in production, and placeholders outside it (development, tests)', () => {
    expect(loadConfig(production).adminToken).toBe(production.HERALD_ADMIN_TOKEN);
    expect(loadConfig({ ...production, NODE_ENV: 'development', HERALD_ADMIN_TOKEN: 'change-me-please-change-me' }).adminToken).toBe('change-me-please-change-me');
  });

  it('knows a placeholder whatever its case and separators, and not a random token', () => {
    expect(isPlaceholder('Change Me Please Change Me')).toBe(true);
    expect(isPlaceholder('herald_development_key_not_secret')).toBe(true);
    expect(isPlaceholder('9f86d081884c7d659a2feaa0c55ad015')).toBe(false);
    expect(isPlaceholder(key)).toBe(false);
  });
});
