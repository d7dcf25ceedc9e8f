import { containerState, readiness } from './graph-containers';

describe('containerState', () => {
  it('reads a kept container: PUBLISHED went live, FINISHED and IN_PROGRESS can still be published, anything else is made again', () => {
    expect(containerState('PUBLISHED')).toBe('published');
    expect(containerState('FINISHED')).toBe('waiting');
    expect(containerState('IN_PROGRESS')).toBe('waiting');
    expect(containerState('EXPIRED')).toBe('unusable');
    expect(containerState('ERROR')).toBe('unusable');
    expect(containerState(undefined)).toBe('unusable');
  });
});

describe('readiness', () => {
  it('is done at FINISHED (or PUBLISHED), waits while IN_PROGRESS, longer with each read', () => {
    expect(readiness({ status: 'FINISHED' }, 'Threads', 'Image 1 of 2', 0)).toEqual({ done: 'finished' });
    expect(readiness({ status: 'PUBLISHED' }, 'Threads', 'Image 1 of 2', 0)).toEqual({ done: 'published' });
    const waits = [0, 1, 2, 3, 20].map((reads) => (readiness({ status: 'IN_PROGRESS' }, 'Threads', 'Video', reads) as { waitMs: number }).waitMs);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(waits[0]).toBeLessThan(waits[4]!);
    expect(waits[4]).toBeLessThanOrEqual(10_000);
  });

  it("refuses ERROR and EXPIRED with the network's reason, in words that name the item", () => {
    expect(() => readiness({ status: 'ERROR', message: 'The image could not be downloaded' }, 'Instagram', 'Image 2 of 3', 0)).toThrow(
      expect.objectContaining({ errorClass: 'rejected', code: 'media_rejected', message: 'Image 2 of 3 could not be used by Instagram: The image could not be downloaded' }),
    );
    expect(() => readiness({ status: 'EXPIRED' }, 'Threads', "The post's media", 0)).toThrow(expect.objectContaining({ errorClass: 'rejected', code: 'media_expired' }));
  });
});
