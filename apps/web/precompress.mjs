// A Vite plugin: after the build, each hashed file under assets/ that compresses well gets a brotli
// (`.br`) and a gzip (`.gz`) copy beside it, made once here at the highest levels, so the API sends
// them as they are (apps/api/src/web-app.ts) instead of compressing on every request.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
// Not source maps: only developer tools fetch them, and brotli at its highest level on megabytes is slow.
const COMPRESSIBLE = /\.(js|css|svg|json|txt|html)$/;
/** Below this a compressed copy saves less than its headers cost. */
const MIN_BYTES = 1024;

export function precompress({ dir = 'assets' } = {}) {
  let outDir;
  return {
    name: 'herald-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      const folder = join(outDir, dir);
      const files = (await readdir(folder)).filter((file) => COMPRESSIBLE.test(file));
      await Promise.all(
        files.map(async (file) => {
          const body = await readFile(join(folder, file));
          if (body.length < MIN_BYTES) return;
          const [br, gz] = await Promise.all([
            brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
            gzipped(body, { level: 9 }),
          ]);
          // A copy only where it is smaller.
          if (br.length < body.length) await writeFile(join(folder, `${file}.br`), br);
          if (gz.length < body.length) await writeFile(join(folder, `${file}.gz`), gz);
        }),
      );
    },
  };
}
