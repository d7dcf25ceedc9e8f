/**
 * Secrets that are not secret: values shipped as examples or defaults
 * (docker-compose.yml once gave `change-me-please-change-me` as the admin
 * token). Anyone who read them knows them, so a production process refuses
 * to start with one, naming the variable.
 */

/** Compared without case, spaces, dashes or underscores; any value saying "change me" or "replace me" counts too. */
export const KNOWN_PLACEHOLDERS = ['change-me-please-change-me', 'herald-development-key-not-secret'] as const;

/** The variables whose values guard something. */
export const SECRET_VARIABLES = ['HERALD_ADMIN_TOKEN', 'HERALD_ENCRYPTION_KEY', 'HERALD_ENCRYPTION_OLD_KEYS', 'MEDIA_LINK_SECRET'] as const;

export function isPlaceholder(value: string): boolean {
  const plain = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, '');
  const seen = plain(value);
  return KNOWN_PLACEHOLDERS.some((placeholder) => seen === plain(placeholder)) || seen.includes('changeme') || seen.includes('replaceme');
}

/** One problem per secret variable holding a placeholder (HERALD_ENCRYPTION_OLD_KEYS: any of its keys). */
export function placeholderProblems(env: Record<string, string | undefined>): string[] {
  return SECRET_VARIABLES.filter((name) => {
    const values = name === 'HERALD_ENCRYPTION_OLD_KEYS' ? (env[name] ?? '').split(',') : [env[name] ?? ''];
    return values.some((value) => value.trim() !== '' && isPlaceholder(value.trim()));
  }).map((name) => `${name} is a known placeholder, not a secret: set it to a value of your own (e.g. openssl rand -base64 32); refused when NODE_ENV=production`);
}
