/**
 * Google's OAuth 2.0 (YouTube, Business Profile): PKCE and offline access
 * (`access_type=offline` and `prompt=consent`, so Google answers a refresh
 * token every time), the app proving itself in the token request's body;
 * access tokens live an hour and are renewed with the refresh token, which
 * does not rotate. Each network names its own scopes and checks what was
 * granted. Source: developers.google.com `/identity/protocols/oauth2/web-server`.
 */
import { AuthorizationRequest, CodeExchange, RefreshRequest, TokenSet } from '../../connector';
import { NetworkError } from '../../errors';
import { TokenEndpoint, authorizeUrl, exchangeCode, refreshTokens } from '../../oauth';

const ISSUER = 'https://accounts.google.com';

export class GoogleOAuth {
  private readonly tokenEndpoint: TokenEndpoint;

  constructor(
    private readonly endpoints: Record<string, string>,
    private readonly scopes: string,
    private readonly timeoutMs: number,
  ) {
    this.tokenEndpoint = { issuer: ISSUER, url: endpoints.token!, auth: 'post' };
  }

  authorizationUrl(request: AuthorizationRequest): string {
    return authorizeUrl(this.endpoints.authorize!, {
      client_id: request.client.clientId,
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: this.scopes,
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      state: request.state,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
    });
  }

  /** The code exchanged for tokens, and the scopes Google granted (the asked ones when it does not say). */
  async exchange(request: CodeExchange): Promise<{ tokens: TokenSet; granted: string[] }> {
    const tokens = await exchangeCode(this.tokenEndpoint, request.client, { code: request.code, redirectUri: request.redirectUri, codeVerifier: request.codeVerifier }, this.timeoutMs);
    return { tokens, granted: (tokens.scope ?? this.scopes).split(' ') };
  }

  canRefresh(credentials: RefreshRequest): boolean {
    return credentials.refreshToken !== undefined && credentials.client !== undefined;
  }

  refresh(credentials: RefreshRequest): Promise<TokenSet> {
    if (!credentials.refreshToken || !credentials.client) throw new NetworkError('auth_revoked', 'no_refresh_token', 'Google granted no refresh token: reconnect the channel');
    return refreshTokens(this.tokenEndpoint, credentials.client, credentials.refreshToken, this.timeoutMs);
  }
}
