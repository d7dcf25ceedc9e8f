import { loadConfig } from './herald-config';

describe('operations settings', () => {
  it('caps decoded images at 64 MP, two at a time, unless told otherwise', () => {
    expect(loadConfig({}).media).toMatchObject({ maxImagePixels: 64_000_000, decodeConcurrency: 2 });
    expect(loadConfig({ MEDIA_MAX_MEGAPIXELS: '100', MEDIA_DECODE_CONCURRENCY: '1' }).media).toMatchObject({ maxImagePixels: 100_000_000, decodeConcurrency: 1 });
  });

  it('names MEDIA_MAX_MEGAPIXELS and MEDIA_DECODE_CONCURRENCY when they are out of range', () => {
    for (const bad of ['0', '269', '1.5', 'lots']) expect(() => loadConfig({ MEDIA_MAX_MEGAPIXELS: bad })).toThrow(/MEDIA_MAX_MEGAPIXELS must be an integer from 1 to 268/);
    for (const bad of ['0', '65']) expect(() => loadConfig({ MEDIA_DECODE_CONCURRENCY: bad })).toThrow(/MEDIA_DECODE_CONCURRENCY/);
  });

  it('opens no metrics port unless METRICS_PORT names one, and refuses the API port itself', () => {
    expect(loadConfig({}).metrics).toEqual({ port: undefined, host: '0.0.0.0' });
    expect(loadConfig({ METRICS_PORT: '9465', METRICS_HOST: '10.0.0.5' }).metrics).toEqual({ port: 9465, host: '10.0.0.5' });
    expect(() => loadConfig({ METRICS_PORT: '3000' })).toThrow(/METRICS_PORT must differ from PORT/);
    expect(() => loadConfig({ METRICS_PORT: 'x' })).toThrow(/METRICS_PORT must be an integer/);
  });
});
