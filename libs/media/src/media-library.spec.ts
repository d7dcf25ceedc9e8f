import { DataSource } from 'typeorm';
import { MediaRepository } from '@herald/db';
import { MediaLibrary } from './media-library';
import { MediaImporter } from './importer';
import { MediaStore } from './media-store';

describe('MediaLibrary.expireUnused', () => {
  const library = (expireUnused: jest.Mock) =>
    new MediaLibrary({} as DataSource, { expireUnused } as unknown as MediaRepository, {} as MediaStore, {} as MediaImporter, { maxImageBytes: 1, maxVideoBytes: 1, maxImagePixels: 1, decodeConcurrency: 1 });

  it('expires nothing, and asks the database nothing, when the retention is 0 (never)', async () => {
    const expireUnused = jest.fn();
    expect(await library(expireUnused).expireUnused(0, 200)).toBe(0);
    expect(expireUnused).not.toHaveBeenCalled();
  });

  it('expires what nothing used since the retention before now', async () => {
    const expireUnused = jest.fn().mockResolvedValue(['a', 'b']);
    const now = new Date('2026-12-01T12:00:00Z');
    expect(await library(expireUnused).expireUnused(3000, 200, now)).toBe(2);
    expect(expireUnused).toHaveBeenCalledWith(expect.anything(), new Date('2026-12-01T11:59:57Z'), 200);
  });
});
