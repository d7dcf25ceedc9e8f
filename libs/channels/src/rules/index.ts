/** The content rules of the seven networks: how each counts text, its published limits, and the check. */
export { X_URL_LENGTH, MASTODON_URL_LENGTH, altTextLength, codePointCount, graphemeCount, mastodonLength, threadsLength, utf8Bytes, xWeightedLength } from './text-length';
export { NETWORK_RULES, maxMediaItems } from './network-rules';
export { countText, fitPlan, mediaType, validateContent } from './validate-content';
export type { FitPlan, TextCount } from './validate-content';
