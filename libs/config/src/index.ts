export * from './herald-config';
export * from './config.module';
export * from './logging';
export * from './redis-settings';
export * from './placeholders';
