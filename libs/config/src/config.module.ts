import { Global, Module } from '@nestjs/common';
import { HeraldConfig, loadConfig } from './herald-config';

/** Injection token of the validated `HeraldConfig`. */
export const HERALD_CONFIG = Symbol('HERALD_CONFIG');

/** Where the JSON log lines go: null for standard output (a process's); a test that runs an app in its own process gives a stream. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/** Provides the validated config everywhere; validation runs once, when the module loads. */
@Global()
@Module({
  providers: [
    { provide: HERALD_CONFIG, useFactory: (): HeraldConfig => loadConfig() },
    { provide: LOG_DESTINATION, useValue: null },
  ],
  exports: [HERALD_CONFIG, LOG_DESTINATION],
})
export class HeraldConfigModule {}
