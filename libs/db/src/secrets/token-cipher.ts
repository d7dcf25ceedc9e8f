/**
 * Channel access tokens at rest: AES-256-GCM with a random 96-bit IV per
 * value, stored as `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url). The key
 * id (a hash prefix of the key) says which key decrypts it, so keys can be
 * rotated: encrypt with the first, decrypt with any.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export class TokenCipher {
  private readonly keys: { id: string; key: Buffer }[];

  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new Error('TokenCipher needs at least one key');
    this.keys = keys.map((key) => ({ id: createHash('sha256').update(key).digest('hex').slice(0, 8), key }));
  }

  encrypt(plain: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
  }

  decrypt(stored: string): string {
    const [version, id, iv, tag, sealed] = stored.split('.');
    if (version !== 'v1' || !id || !iv || !tag || sealed === undefined) throw new Error('not a Herald-encrypted value');
    const entry = this.keys.find((candidate) => candidate.id === id);
    if (!entry) throw new Error(`no configured key decrypts this value (key id ${id}); add the old key to HERALD_ENCRYPTION_OLD_KEYS`);
    const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Whether the value is sealed with the current (first) key. */
  isCurrent(stored: string): boolean {
    return stored.split('.')[1] === this.keys[0]!.id;
  }
}
