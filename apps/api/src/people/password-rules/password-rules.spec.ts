import { weaknessOf } from './password-rules';

describe('weaknessOf', () => {
  it('refuses passwords that are only spaces', () => {
    for (const password of [' '.repeat(10), '\t'.repeat(12), ' \u00a0'.repeat(6)]) expect(weaknessOf(password)).toBe('must not be only spaces');
  });

  it('refuses one character or a short run repeated, and plain runs up or down', () => {
    for (const password of ['aaaaaaaaaa', '1212121212', 'abcabcabcabc', 'abcdabcdabcd', 'xyzwxyzwxy', 'abcdefghijkl', '0123456789', '9876543210', 'zyxwvutsrq']) {
      expect(weaknessOf(password)).toMatch(/too repetitive/);
    }
  });

  it('refuses the most common passwords, whatever their case', () => {
    for (const password of ['password12', '1234567890', 'qwertyuiop', 'Password123', 'BASKETBALL', 'iloveyou12']) expect(weaknessOf(password)).toMatch(/most common passwords/);
  });

  it('refuses a common password with a few characters, or a plain run, added', () => {
    for (const password of ['dragon1234', '!!monkey!!', 'shadow123456', '2020superman', 'Letmein!!!!!']) expect(weaknessOf(password)).toMatch(/common password with a few characters added/);
  });

  it('accepts passphrases and passwords with some randomness, including the ones the test suites use', () => {
    for (const password of [
      'correct horse battery',
      'a long enough password',
      'a team passphrase',
      'a matrix passphrase',
      'a fuzzing passphrase',
      'a brand new passphrase',
      'yet another passphrase',
      'a mailed new passphrase',
      'another long password',
      'a third long password',
      'monkey4729181',
      'dragon2024!?',
      'Tr0ub4dor&3x',
      'caf\u00e9 au lait!',
      'ab12ab12ab12cd',
    ]) {
      expect(weaknessOf(password)).toBeUndefined();
    }
  });

  it('reads every Unicode normal form alike', () => {
    // Full-width letters are NFKC's "password123".
    expect(weaknessOf('\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44123')).toMatch(/most common/);
  });
});
