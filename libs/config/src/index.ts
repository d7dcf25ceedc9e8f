export * from './env-reader';
export * from './config-slice';
export * from './herald-config';
export * from './config.module';
export * from './logging';
export * from './pretty-log';
export * from './redis-settings';
export * from './placeholders';
