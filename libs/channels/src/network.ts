/** The social networks Herald publishes to: defined with the content rules (browser-safe), used everywhere. */
export { NETWORKS, isNetwork, type Network } from './rules/network';
