import { Global, Module } from '@nestjs/common';
import { HeraldConfig, loadConfig } from './herald-config';

/** Injection token of the validated `HeraldConfig`. */
export const HERALD_CONFIG = Symbol('HERALD_CONFIG');

/** Provides the validated config everywhere; validation runs once, when the module loads. */
@Global()
@Module({
  providers: [{ provide: HERALD_CONFIG, useFactory: (): HeraldConfig => loadConfig() }],
  exports: [HERALD_CONFIG],
})
export class HeraldConfigModule {}
