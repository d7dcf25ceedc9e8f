/**
 * The content rules of the seven networks: how each counts text, its published limits, and the check.
 * Browser-safe (no Node-only import or global; the lint keeps it so): the API checks posts with it and
 * the web app's counters import it as `@herald/channels/rules`, so the two can never count differently.
 */
export { X_URL_LENGTH, MASTODON_URL_LENGTH, altTextLength, codePointCount, graphemeCount, mastodonLength, threadsLength, utf8Bytes, xWeightedLength } from './text-length';
export { NETWORK_RULES, maxMediaItems } from './network-rules';
export { channelLimitsOf, countText, fitPlan, mediaType, titleOf, validateContent } from './validate-content';
export type { ChannelLimits, FitPlan, TextCount } from './validate-content';
export { NETWORKS, isNetwork } from './network';
export { HAS_THREADS, TAKES_FIRST_COMMENT } from './threads';
export type { Network } from './network';
export { DESCRIBED_NETWORKS, MORE_NETWORKS, NETWORKS_WITH_OPTIONS, optionsSpecOf } from '../networks/descriptors';
export type { NetworkDescriptor, NetworkEndpoint, NetworkOptionsSpec } from './descriptor';
export type { ContentViolation, ImageLimits, MediaItem, NetworkRules, PostContent, VideoLimits } from './types';
export { isWebLink } from './web-link';
