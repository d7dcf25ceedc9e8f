import { Batcher } from './batcher';

/** A write that records each batch it was given and can be held open or made to fail. */
function recordingWrite(fails: (items: number[]) => boolean = () => false) {
  const batches: number[][] = [];
  let release: () => void = () => undefined;
  let held: Promise<void> | undefined;
  return {
    batches,
    hold() {
      held = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
    write: async (items: number[]) => {
      batches.push(items);
      if (held) {
        const waiting = held;
        held = undefined;
        await waiting;
      }
      if (fails(items)) throw new Error(`bad batch ${items.join(',')}`);
      return items.map((item) => item * 10);
    },
  };
}

describe('Batcher', () => {
  it('writes an item alone at once when nothing is in flight', async () => {
    const recorder = recordingWrite();
    const batcher = new Batcher(recorder.write, 100);
    await expect(batcher.submit(1)).resolves.toBe(10);
    expect(recorder.batches).toEqual([[1]]);
  });

  it('writes what arrives during a write together in the next, each caller getting its own result', async () => {
    const recorder = recordingWrite();
    const batcher = new Batcher(recorder.write, 100);
    recorder.hold();
    const first = batcher.submit(1);
    const rest = [2, 3, 4].map((item) => batcher.submit(item));
    recorder.release();
    await expect(Promise.all([first, ...rest])).resolves.toEqual([10, 20, 30, 40]);
    expect(recorder.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('never puts more than maxBatch items in one write', async () => {
    const recorder = recordingWrite();
    const batcher = new Batcher(recorder.write, 2);
    recorder.hold();
    const all = [1, 2, 3, 4, 5].map((item) => batcher.submit(item));
    recorder.release();
    await Promise.all(all);
    expect(recorder.batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('retries a failed batch item by item, so only the bad item fails', async () => {
    const recorder = recordingWrite((items) => items.includes(3));
    const failures: number[] = [];
    const batcher = new Batcher(recorder.write, 100, (size) => failures.push(size));
    recorder.hold();
    const first = batcher.submit(1);
    const rest = [2, 3, 4].map((item) => batcher.submit(item).catch((error: Error) => error.message));
    recorder.release();
    await expect(Promise.all([first, ...rest])).resolves.toEqual([10, 20, 'bad batch 3', 40]);
    expect(failures).toEqual([3]);
    expect(recorder.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('rejects a lone item that fails without writing it twice, and keeps working after', async () => {
    const recorder = recordingWrite((items) => items.includes(7));
    const batcher = new Batcher(recorder.write, 100);
    await expect(batcher.submit(7)).rejects.toThrow('bad batch 7');
    await expect(batcher.submit(8)).resolves.toBe(80);
    expect(recorder.batches).toEqual([[7], [8]]);
  });
});
