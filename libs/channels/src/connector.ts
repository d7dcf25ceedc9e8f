/**
 * How an account is connected and kept connected, per network: the OAuth
 * authorization-code flow (X, LinkedIn, Mastodon, Threads, Instagram,
 * Facebook), Bluesky's app-password session, a token a person pasted, and
 * refreshing what expires. The protocol mechanics (PKCE, state, the code
 * exchange) are oauth4webapi's (see oauth.ts); what differs per network is in
 * its folder.
 */
import type { ChannelCredentials } from './adapter';
import { Network } from './network';

/** The tokens a network issued. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** When the access token lapses; undefined when the network says it does not. */
  expiresAt?: Date;
  scope?: string;
}

/** An account as connecting it found it. */
export interface ConnectedAccount {
  /** The network's own id of the account (see ChannelCredentials.accountId). */
  accountId: string;
  /** How people know it: @name on X, name.bsky.social, user@instance on Mastodon. */
  handle: string;
  /** Its own host, for federated networks (a Mastodon instance, a Bluesky PDS). */
  host?: string;
  tokens: TokenSet;
  /** What Herald keeps about the account besides its tokens (a Mastodon instance's limits). Not secret. */
  details?: Record<string, unknown>;
  /** Its name as the network gives it (an X or Mastodon display name, a LinkedIn person's or Facebook Page's name), where it gave one. */
  displayName?: string | null;
  /** Where the network serves its avatar: fetched once through Outbound and kept by Herald, never shown to a browser. Null: the network shows none; undefined: not read. */
  avatarUrl?: string | null;
}

/** Who an account is now, as its network shows it. */
export interface AccountProfile {
  /** The network's own id of the account: the same account whatever its handle. */
  accountId: string;
  handle: string;
  displayName: string | null;
  avatarUrl: string | null;
  /** What the network says of the account that the channel's details keep, read again (TikTok: what the creator may post now); absent elsewhere. */
  details?: Record<string, unknown>;
}

/** Reads a connected account's name, handle and avatar from its network (one call; Instagram and Facebook by the Page's token). */
export interface ProfileReader {
  readonly network: Network;
  /** Throws NetworkError (`auth_revoked` when the token is refused). */
  profile(credentials: ChannelCredentials, details?: Record<string, unknown>): Promise<AccountProfile>;
}

/** A connected account's profile, from what connecting it found. */
export function profileOf(account: ConnectedAccount): AccountProfile {
  return { accountId: account.accountId, handle: account.handle, displayName: account.displayName ?? null, avatarUrl: account.avatarUrl ?? null };
}

/** An OAuth client: the app Herald registered with the network (or, on Mastodon, with the instance). */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface AuthorizationRequest {
  client: OAuthClient;
  /** Herald's callback, registered with the network. */
  redirectUri: string;
  state: string;
  codeChallenge: string;
  instanceUrl?: string;
  /** False where the server offers no PKCE (an older Mastodon instance): the challenge is then left out. */
  pkce?: boolean;
}

export interface CodeExchange {
  client: OAuthClient;
  redirectUri: string;
  code: string;
  codeVerifier: string;
  instanceUrl?: string;
  pkce?: boolean;
}

/** A network connected by the OAuth authorization-code flow. */
export interface OAuthConnector {
  readonly network: Network;
  /** The page the person consents on. */
  authorizationUrl(request: AuthorizationRequest): string;
  /**
   * Code for tokens, then the accounts they reach: one, except on Facebook
   * and Instagram, where a person may manage several Pages and professional
   * accounts and picks one. Throws NetworkError (`rejected` for a bad or used code).
   */
  exchange(request: CodeExchange): Promise<ConnectedAccount[]>;
}

/** Stored credentials, as a refresh needs them. */
export interface RefreshRequest {
  client?: OAuthClient;
  accessToken: string;
  refreshToken?: string;
  host?: string;
  accountId?: string;
}

/** A network whose tokens lapse and can be renewed without the person. */
export interface TokenRefresher {
  readonly network: Network;
  /**
   * How long before a token lapses it is renewed (Meta only renews a token
   * at least a day old, and its tokens live sixty days: renewed a week ahead).
   */
  readonly refreshAheadMs: number;
  /**
   * What a renewal spends: a refresh token (X, LinkedIn, Bluesky: a channel
   * without one cannot be renewed, and is announced before it lapses) or
   * the access token itself (Threads' long-lived tokens).
   */
  readonly renewsWith: 'refresh_token' | 'access_token';
  /** Whether these credentials can be renewed at all (LinkedIn without a refresh token cannot). */
  canRefresh(credentials: RefreshRequest): boolean;
  /** Renewed tokens. Throws NetworkError: `auth_revoked` when the network refuses (the person must reconnect). */
  refresh(credentials: RefreshRequest): Promise<TokenSet>;
}

/** A network (or its instances) that takes a pasted access token: who the token is for. */
export interface TokenVerifier {
  readonly network: Network;
  verify(accessToken: string, host?: string): Promise<ConnectedAccount>;
}
