/**
 * Group commit. Items submitted while a write is in flight are written
 * together by the next one: an item alone is written at once (no waiting for
 * company), and under load the round trips and commits per item fall by the
 * size of the batch. If a batch fails, each of its items is written on its
 * own, so one bad item cannot sink the others; each caller hears its own
 * result.
 */
export class Batcher<Item, Result> {
  private pending: { item: Item; resolve: (result: Result) => void; reject: (error: Error) => void }[] = [];
  private writing = false;

  /** `write` answers one result per item, in the items' order. */
  constructor(
    private readonly write: (items: Item[]) => Promise<Result[]>,
    private readonly maxBatch: number,
    private readonly onBatchFailure: (size: number, error: unknown) => void = () => undefined,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  /** Writes batches until none is pending; never rejects. */
  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const results = await this.write(batch.map((entry) => entry.item));
          batch.forEach((entry, index) => entry.resolve(results[index]!));
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(asError(error));
            continue;
          }
          this.onBatchFailure(batch.length, error);
          for (const entry of batch) {
            try {
              const [result] = await this.write([entry.item]);
              entry.resolve(result!);
            } catch (single) {
              entry.reject(asError(single));
            }
          }
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
