/** The seven adapters, built once per process against the networks' base URL. */
import { ChannelAdapter } from '../adapter';
import { Network } from '../network';
import { DEFAULT_LOOKUP_MAX_PAGES } from './base-adapter';
import { BlueskyAdapter } from './bluesky.adapter';
import { FacebookAdapter } from './facebook.adapter';
import { InstagramAdapter } from './instagram.adapter';
import { LinkedInAdapter } from './linkedin.adapter';
import { MastodonAdapter } from './mastodon.adapter';
import { ThreadsAdapter } from './threads.adapter';
import { XAdapter } from './x.adapter';

export function createChannelAdapters(
  networksUrl: string,
  options: { timeoutMs?: number; lookupMaxPages?: number } = {},
): Record<Network, ChannelAdapter> {
  const base = networksUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const lookupMaxPages = options.lookupMaxPages ?? DEFAULT_LOOKUP_MAX_PAGES;
  const at = (network: Network) => ({ baseUrl: `${base}/${network}`, timeoutMs, lookupMaxPages });
  return {
    x: new XAdapter(at('x')),
    bluesky: new BlueskyAdapter(at('bluesky')),
    mastodon: new MastodonAdapter(at('mastodon')),
    linkedin: new LinkedInAdapter(at('linkedin')),
    threads: new ThreadsAdapter(at('threads')),
    instagram: new InstagramAdapter(at('instagram')),
    facebook: new FacebookAdapter(at('facebook')),
  };
}

export class ChannelAdapterRegistry {
  constructor(private readonly adapters: Record<Network, ChannelAdapter>) {}

  get(network: Network): ChannelAdapter {
    const adapter = this.adapters[network];
    if (!adapter) throw new Error(`No adapter for network ${String(network)}`);
    return adapter;
  }
}
