/**
 * What the web app's first load needs of the rules: the networks, their
 * names, limits and threads, the networks that describe themselves; nothing
 * that counts text, so twitter-text (CommonJS, whole or not at all) stays in
 * the chunks of the pages that count (compose, the post editor, approvals).
 */
export { NETWORK_RULES, maxMediaItems } from './network-rules';
export { NETWORKS, isNetwork } from './network';
export { HAS_THREADS, TAKES_FIRST_COMMENT } from './threads';
export { DESCRIBED_NETWORKS, MORE_NETWORKS } from '../networks/descriptors';
export type { Network } from './network';
