/** The content rules of the seven networks: how each counts text, its published limits, and the check. */
export { X_URL_LENGTH, MASTODON_URL_LENGTH, altTextLength, codePointCount, graphemeCount, mastodonLength, threadsLength, utf8Bytes, xWeightedLength } from './text-length';
export { NETWORK_RULES, maxMediaItems } from './network-rules';
export { countText, mediaType, validateContent } from './validate-content';
export type { TextCount } from './validate-content';
