export * from './network';
export * from './content';
export * from './errors';
export * from './adapter';
export * from './rules';
export { ChannelAdapterRegistry, createChannelAdapters } from './adapters/registry';
