import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { dataSourceOptions } from './data-source';
import { TokenCipher } from './secrets/token-cipher';

/** The Postgres connection of a process, from the config, and the token cipher. Migrations are never run here. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [HERALD_CONFIG],
      useFactory: (config: HeraldConfig) => ({
        ...dataSourceOptions({ url: config.databaseUrl, poolSize: 20, applicationName: 'herald' }),
        // Keep trying at boot: Postgres may still be starting next to us.
        retryAttempts: 30,
        retryDelay: 1000,
      }),
      dataSourceFactory: async (options) => new DataSource(options!).initialize(),
    }),
  ],
  providers: [{ provide: TokenCipher, inject: [HERALD_CONFIG], useFactory: (config: HeraldConfig) => new TokenCipher(config.encryptionKeys) }],
  exports: [TypeOrmModule, TokenCipher],
})
export class DatabaseModule {}
