import { loadConfig } from './herald-config';

describe('operations settings', () => {
  it('opens no metrics port unless METRICS_PORT names one, and refuses the API port itself', () => {
    expect(loadConfig({}).metrics).toEqual({ port: undefined, host: '0.0.0.0' });
    expect(loadConfig({ METRICS_PORT: '9465', METRICS_HOST: '10.0.0.5' }).metrics).toEqual({ port: 9465, host: '10.0.0.5' });
    expect(() => loadConfig({ METRICS_PORT: '3000' })).toThrow(/METRICS_PORT must differ from PORT/);
    expect(() => loadConfig({ METRICS_PORT: 'x' })).toThrow(/METRICS_PORT must be an integer/);
  });
});
