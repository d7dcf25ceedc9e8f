export * from './post-status';
export * from './webhook-events';
