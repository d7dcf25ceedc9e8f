export * from './queue-names';
export * from './connection';
export * from './publish-queue';
export * from './publish-shards';
export * from './queue.module';
export * from './webhook-queue';
export * from './circuits';
export * from './channel-budgets';
