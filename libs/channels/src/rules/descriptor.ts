/**
 * What Herald knows of one network beyond the seven it started with, in one
 * browser-safe object its folder exports (`networks/<n>/<n>.descriptor.ts`):
 * its rules, its mark, where it is (each URL replaceable by a variable, and
 * its path at the mock's origin), the OAuth app it connects with and the
 * settings that name it, and its default posting quota. Every list that
 * names networks (the API's enums, `GET /v1/networks`, the config's URL
 * variables and OAuth apps, the web app's names and marks) reads these.
 */
import type { ContentViolation, NetworkRules, PostContent } from './types';

/**
 * What a post may say only to this network (`networkOptions.<network>`):
 * the options' schema (the API's document, its agents' tools and its
 * request check all read it), which of them a channel may hold as its
 * default, and what they break beside the content.
 */
export interface NetworkOptionsSpec {
  /** An OpenAPI 3.0 schema (an object with `additionalProperties: false`), also valid JSON Schema. */
  schema: Record<string, unknown>;
  /** The options a channel may keep as the default of its posts (Pinterest's board). */
  channelDefaults: readonly string[];
  /** The rules the options break, given the content they go with (a Business Profile event that ends before it starts); each names its option in `field`. */
  violations(options: Record<string, unknown>, content: PostContent): ContentViolation[];
  /** What a channel's posts choose among, from what connecting found of it (Pinterest: its boards; TikTok: the creator's privacy levels and settings), as the channel shows it. */
  choices?(details: Record<string, unknown>): Record<string, unknown>;
}

/** A choice an operator makes for one network by an environment variable (TikTok's way of sending videos). */
export interface NetworkSetting {
  variable: string;
  values: readonly string[];
  default: string;
  description: string;
}

export interface NetworkEndpoint {
  /** The real network's URL. */
  real: string;
  /** The environment variable that replaces it (e.g. PINTEREST_API_URL). */
  variable: string;
  /** Its path at the mock's origin for this network ('' for the origin itself). */
  mockPath: string;
}

export interface NetworkDescriptor<N extends string = string> {
  network: N;
  rules: NetworkRules;
  /** The network's mark (an SVG path in a 24×24 box, from simple-icons, CC0) and its brand colour (null: the text colour). */
  mark: { path: string; hex: string | null };
  /** Where the network is: `api`, `authorize`, `token`, ... */
  endpoints: Record<string, NetworkEndpoint>;
  /** The OAuth app it connects with (`name` is shared by networks of one family, e.g. Google's), and the settings that give it. */
  app: { name: string; clientIdVariable: string; clientSecretVariable: string };
  /** Its default posting caps as NETWORK_QUOTAS writes them (e.g. `6/24h`), where it has any. */
  defaultQuota?: string;
  /** Why the quota is what it is, said when a post is refused for it (YouTube: what an upload costs of the day's units). */
  quotaNote?: string;
  /** What the channel settings say of it, where something needs saying (TikTok's unaudited apps post privately). */
  note?: string;
  /** What a post may say only to it (`networkOptions.<network>`). */
  options?: NetworkOptionsSpec;
  /** The operator's choices for it, each an environment variable (read once by libs/config, handed to its kit). */
  settings?: readonly NetworkSetting[];
}
