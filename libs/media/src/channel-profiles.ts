/**
 * A channel's name, handle and avatar as its network shows them (and, where
 * the network says more of the account that posting depends on, that too:
 * a TikTok creator's privacy levels and settings): read at
 * connect (from what connecting found), on `POST /v1/channels/{id}/profile/refresh`,
 * and after a token renewal when the last reading is a day old. The avatar is
 * kept by Herald (see avatars.ts); failing to fetch it never fails what
 * asked for it: the channel keeps the avatar it had.
 */
import { Logger } from '@nestjs/common';
import { AccountProfile, ChannelAdapterRegistry, Network } from '@herald/channels';
import { Channel, ChannelAvatarsRepository, ChannelsRepository, Tenant, TokenCipher } from '@herald/db';
import { AvatarFetcher } from './avatars';

/** How old a profile reading may be before a token renewal reads it again. */
export const PROFILE_STALE_MS = 24 * 3_600_000;

export class ChannelProfiles {
  private readonly logger = new Logger(ChannelProfiles.name);

  constructor(
    private readonly registry: ChannelAdapterRegistry,
    private readonly channels: ChannelsRepository,
    private readonly avatars: ChannelAvatarsRepository,
    private readonly fetcher: AvatarFetcher,
    private readonly cipher: TokenCipher,
  ) {}

  /**
   * Reads the profile from the network now (with `accessToken`, else the
   * channel's stored one) and keeps it; answers the channel as saved.
   * Throws the network's NetworkError when it cannot be read.
   */
  async refresh(tenant: Tenant, channel: Channel, accessToken?: string): Promise<Channel> {
    const reader = this.registry.kit(channel.network as Network).profiles;
    const profile = await reader.profile(
      { handle: channel.handle, accessToken: accessToken ?? this.cipher.decrypt(channel.accessToken), accountId: channel.accountId ?? undefined, host: channel.host ?? undefined },
      channel.details,
    );
    const saved = (await this.channels.setProfile(tenant, channel.id, { handle: profile.handle, displayName: profile.displayName, ...(profile.details ? { details: profile.details } : {}) })) ?? channel;
    await this.keepAvatar(tenant, channel.id, profile);
    return (await this.channels.find(tenant, saved.id)) ?? saved;
  }

  /** Fetches and keeps the avatar the profile names (none named: none kept). Never throws. */
  async keepAvatar(tenant: Tenant, channelId: string, profile: Pick<AccountProfile, 'avatarUrl'>): Promise<void> {
    try {
      if (!profile.avatarUrl) {
        await this.avatars.clear(tenant, channelId);
        return;
      }
      await this.avatars.put(tenant, channelId, await this.fetcher.fetch(profile.avatarUrl));
    } catch (error) {
      this.logger.warn({ msg: 'avatar not kept; the channel keeps the one it had', channelId, error: (error as Error).message });
    }
  }
}
