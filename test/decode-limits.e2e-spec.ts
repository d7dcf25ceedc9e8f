/**
 * Issue 27: a PNG of 16000×16000 pixels in one colour is some 750 KB, well
 * under MEDIA_MAX_IMAGE_MB, yet decoding it took the API from 160 to 925 MB,
 * three at once to 2.4 GB. Now its dimensions are read from its header and
 * it is refused (422, `media_too_many_pixels` in words) before any pixel is
 * decoded: three sent at once leave no row, no file, and the API's resident
 * memory where it was (the bound asserted here is generous: 150 MB of
 * growth, a 600 MB peak over the process's whole life). An image under the
 * cap is still taken.
 */
import { readFile, readdir } from 'node:fs/promises';
import { onePixelColourPng } from './support/big-png';
import { image, upload } from './support/media-files';
import { Stack } from './support/stack';

/** A process's resident set now and its peak so far (VmRSS, VmHWM), in MB. */
async function memoryOf(pid: number): Promise<{ rssMb: number; peakMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function filesUnder(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

describe('image decode limits', () => {
  let stack: Stack;
  let apiKey: string;
  let workspaceId: string;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0 });
    ({ apiKey, id: workspaceId } = await stack.workspace('decode'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses three 16000×16000 PNGs sent at once from their headers: 422 each, no row, no file, and the API stays small', async () => {
    const colours: [number, number, number][] = [[51, 102, 170], [200, 40, 40], [20, 160, 60]];
    const pngs = await Promise.all(colours.map((colour) => onePixelColourPng(16000, 16000, colour)));
    for (const png of pngs) expect(png.length).toBeLessThan(2 * 1024 * 1024);
    const pid = stack.api!.child.pid!;
    const before = await memoryOf(pid);
    let sampledPeakMb = before.rssMb;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        sampledPeakMb = Math.max(sampledPeakMb, (await memoryOf(pid)).rssMb);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const answers = await Promise.all(pngs.map((png, index) => upload(stack.apiUrl, apiKey, png, `huge-${index}.png`, 'image/png')));
    sampling = false;
    await sampler;
    const after = await memoryOf(pid);

    for (const answer of answers) {
      expect(answer.status).toBe(422);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.detail).toBe('The image is 16000×16000 pixels (256 MP); Herald takes images of at most 64 MP (width × height): scale it down and upload it again');
    }
    expect((await stack.db.query('SELECT count(*)::int AS n FROM media WHERE workspace_id = $1', [workspaceId])).rows[0].n).toBe(0);
    expect(await filesUnder(stack.env.MEDIA_DIR!)).toEqual([]);
    // Decoding them took 768 MB each; refused from the header, the API barely moves.
    expect(Math.max(sampledPeakMb, after.rssMb) - before.rssMb).toBeLessThan(150);
    expect(after.peakMb).toBeLessThan(600);
    process.stdout.write(`decode-limits: API RSS ${before.rssMb.toFixed(0)} MB before, ${sampledPeakMb.toFixed(0)} MB sampled peak, ${after.rssMb.toFixed(0)} MB after; lifetime peak ${after.peakMb.toFixed(0)} MB\n`);
  });

  it('still takes an image under the cap, measured and thumbnailed', async () => {
    const answer = await upload(stack.apiUrl, apiKey, await image('png', 1200, 900), 'fine.png', 'image/png');
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ type: 'image', width: 1200, height: 900 });
    expect(answer.body.thumbnailUrl).toBeTruthy();
  });
});
