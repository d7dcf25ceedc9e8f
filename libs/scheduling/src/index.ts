export * from './time-rules';
export * from './posting-schedule';
export * from './slots';
export * from './status';
export * from './recurrence';
