/**
 * A network's asynchronous processing of an upload, as its status reads
 * tell it: "processing" for the first read(s), then ready (or failed, when
 * the file cannot be used); optionally ready after a while even unread.
 * Attaching media that is not ready is refused by the network.
 */
export type ProcessingState = 'processing' | 'ready' | 'failed';

export class Processing {
  private readsLeft: number;
  private readonly readyAtMs: number;

  /** `reads`: status reads that answer "processing"; `readyAfterMs`: ready then, read or not. */
  constructor(
    reads = 1,
    readyAfterMs = Infinity,
    readonly failure?: string,
  ) {
    this.readsLeft = reads;
    this.readyAtMs = Date.now() + readyAfterMs;
  }

  /** Ready at once: an image, which the networks process while they answer the upload. */
  static done(): Processing {
    return new Processing(0);
  }

  /** The state now, without counting a read (what a post attaching it meets). */
  get state(): ProcessingState {
    if (this.readsLeft > 0 && Date.now() < this.readyAtMs) return 'processing';
    return this.failure ? 'failed' : 'ready';
  }

  /** A status read: answers the state and counts the read. */
  read(): ProcessingState {
    const state = this.state;
    if (state === 'processing') this.readsLeft -= 1;
    return state;
  }
}
