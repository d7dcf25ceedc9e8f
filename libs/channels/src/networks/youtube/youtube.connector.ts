/**
 * Connecting a YouTube channel: Google's OAuth 2.0 with PKCE and offline
 * access (`youtube.upload youtube.readonly`; `access_type=offline` and
 * `prompt=consent`, so Google answers a refresh token every time), the app
 * proving itself in the token request's body. The channel is the account's
 * own (`GET /youtube/v3/channels?part=snippet,contentDetails&mine=true`);
 * a Google account without a YouTube channel cannot be connected. Access
 * tokens live an hour and are renewed with the refresh token, which does
 * not rotate. Sources: developers.google.com `/identity/protocols/oauth2/web-server`,
 * `/youtube/v3/docs/channels/list`.
 */
import { ChannelCredentials } from '../../adapter';
import { AccountProfile, AuthorizationRequest, CodeExchange, ConnectedAccount, OAuthConnector, ProfileReader, RefreshRequest, TokenRefresher, TokenSet, TokenVerifier, profileOf } from '../../connector';
import { NetworkError } from '../../errors';
import { field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { GoogleOAuth } from '../google/google-oauth';
import { youtubeError } from './youtube.errors';

export const YOUTUBE_SCOPES = 'https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly';

export class YouTubeConnector implements OAuthConnector, TokenRefresher, TokenVerifier, ProfileReader {
  readonly network = 'youtube' as const;
  readonly refreshAheadMs = 5 * 60_000;
  readonly renewsWith = 'refresh_token' as const;

  private readonly google: GoogleOAuth;

  constructor(
    private readonly endpoints: Record<string, string>,
    private readonly timeoutMs: number,
  ) {
    this.google = new GoogleOAuth(endpoints, YOUTUBE_SCOPES, timeoutMs);
  }

  authorizationUrl(request: AuthorizationRequest): string {
    return this.google.authorizationUrl(request);
  }

  async exchange(request: CodeExchange): Promise<ConnectedAccount[]> {
    const { tokens, granted } = await this.google.exchange(request);
    if (!granted.some((scope) => scope.endsWith('/youtube.upload') || scope.endsWith('/youtube'))) {
      throw new NetworkError('rejected', 'scope_not_granted', 'Google did not grant YouTube upload: connect again and allow "Manage your YouTube videos"');
    }
    return [await this.identify(tokens)];
  }

  canRefresh(credentials: RefreshRequest): boolean {
    return this.google.canRefresh(credentials);
  }

  refresh(credentials: RefreshRequest): Promise<TokenSet> {
    return this.google.refresh(credentials);
  }

  verify(accessToken: string): Promise<ConnectedAccount> {
    return this.identify({ accessToken });
  }

  async profile(credentials: ChannelCredentials): Promise<AccountProfile> {
    return profileOf(await this.identify({ accessToken: credentials.accessToken }));
  }

  /** The account's own channel: its id, @handle, title, avatar and uploads playlist. */
  private async identify(tokens: TokenSet): Promise<ConnectedAccount> {
    const api = new NetworkClient(this.endpoints.api!, this.timeoutMs, { credentials: { handle: '', accessToken: tokens.accessToken } }, youtubeError);
    const channel = list((await api.get('/youtube/v3/channels', { part: 'snippet,contentDetails', mine: 'true' })).body, 'items')[0];
    const id = field(channel, 'id');
    if (!id) throw new NetworkError('rejected', 'no_channel', 'This Google account has no YouTube channel: make one on YouTube, then connect again');
    const title = field(channel, 'snippet', 'title') ?? id;
    return {
      accountId: id,
      handle: field(channel, 'snippet', 'customUrl') ?? id,
      displayName: title,
      avatarUrl: field(channel, 'snippet', 'thumbnails', 'default', 'url') ?? null,
      tokens,
      details: { uploadsPlaylistId: field(channel, 'contentDetails', 'relatedPlaylists', 'uploads') ?? null },
    };
  }
}
