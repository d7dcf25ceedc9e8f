export * from './entities';
export * from './migrations';
export * from './data-source';
export * from './database.module';
export * from './repositories';
export * from './secrets';
export * from './statements/prepared';
export * from './storable-text';
