/**
 * `npm run rotate-keys`: re-encrypts every channel token with the current
 * HERALD_ENCRYPTION_KEY, reading old ones with HERALD_ENCRYPTION_OLD_KEYS.
 * Safe to run while Herald runs, and to run again.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@herald/config';
import { createDataSource, databaseSettings } from './data-source';
import { TokenCipher } from './secrets/token-cipher';

async function main(): Promise<void> {
  const config = loadConfig();
  const cipher = new TokenCipher(config.encryptionKeys);
  const dataSource = await createDataSource(databaseSettings(config, 'herald-rotate-keys', 2)).initialize();
  let rotated = 0;
  try {
    const rows: { id: string; access_token: string }[] = await dataSource.query(`SELECT id, access_token FROM channels`);
    for (const row of rows) {
      if (cipher.isCurrent(row.access_token)) continue;
      const sealed = cipher.encrypt(cipher.decrypt(row.access_token));
      // Only if nobody changed it meanwhile (a reconnect writes a fresh token).
      const result: [unknown[], number] = await dataSource.query(`UPDATE channels SET access_token = $2 WHERE id = $1 AND access_token = $3`, [
        row.id,
        sealed,
        row.access_token,
      ]);
      rotated += result[1] ?? 0;
    }
    console.log(`rotate-keys: re-encrypted ${rotated} of ${rows.length} channel tokens with the current key`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `rotate-keys failed: ${String(error)}`);
  process.exit(1);
});
