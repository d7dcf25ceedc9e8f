/**
 * docker-compose.yml starts nothing with a secret anyone could know: Herald's
 * own secrets are required variables (`${VAR:?message}`: compose refuses to
 * start without them), and no secret-looking variable has a default, save
 * the mock networks' public demo app. Docker is not needed: the file is read
 * as text, every `${...}` interpolation in it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPlaceholder } from '@herald/config';

const COMPOSE = readFileSync(join(__dirname, '..', 'docker-compose.yml'), 'utf8');

/** Every `${NAME<op>word}` in the file (compose's interpolation: `:-`, `-`, `:?`, `?`, `:+`, `+`, or none). */
function interpolations(text: string): { name: string; op: string; word: string }[] {
  const uncommented = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  return [...uncommented.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?([^}]*)\}/g)].map((match) => ({ name: match[1]!, op: match[2] ?? '', word: match[3] ?? '' }));
}

/** The mock networks' one OAuth app (apps/mock-social's defaults): public by design, for the offline demo. */
const MOCK_DEMO_APP = new Set(['herald-demo', 'herald-demo-secret']);
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|KEY/;

describe('docker-compose.yml', () => {
  it('requires the admin token and the encryption key, with a message saying what to set', () => {
    for (const name of ['HERALD_ADMIN_TOKEN', 'HERALD_ENCRYPTION_KEY']) {
      const uses = interpolations(COMPOSE).filter((use) => use.name === name);
      expect(uses.length).toBeGreaterThan(0);
      for (const use of uses) {
        expect({ name, op: use.op }).toEqual({ name, op: ':?' });
        expect(use.word).toContain(name);
      }
    }
  });

  it('gives no secret a default (only the mock demo app, and empty optional ones)', () => {
    const defaulted = interpolations(COMPOSE).filter((use) => SECRET_NAME.test(use.name) && (use.op === ':-' || use.op === '-') && use.word !== '' && !MOCK_DEMO_APP.has(use.word));
    expect(defaulted).toEqual([]);
  });

  it('holds no known placeholder anywhere, in a value or a default', () => {
    const values = [...COMPOSE.matchAll(/:\s*["']?([^\s"'#]+)/g)].map((match) => match[1]!);
    expect(values.filter(isPlaceholder)).toEqual([]);
    expect(interpolations(COMPOSE).map((use) => use.word).filter((word) => word !== '' && isPlaceholder(word))).toEqual([]);
  });
});
