/**
 * The OAuth 2.0 mechanics every connect flow shares, done by oauth4webapi
 * rather than by hand: PKCE (S256), state, the authorization-code and
 * refresh-token grants with their client authentication, and reading the
 * token endpoint's answer. What each network adds (its scopes, its identity
 * call, Meta's long-lived exchange) is in its own folder.
 */
import * as oauth from 'oauth4webapi';
import { OAuthClient, TokenSet } from './connector';
import { NetworkError } from './errors';
import { refusalOf } from './outbound';

/** A token endpoint, as oauth4webapi describes an authorization server. */
export interface TokenEndpoint {
  /** The issuer the network names itself (checked against an `iss` in a response, when one comes). */
  issuer: string;
  url: string;
  /** How the client proves itself: HTTP Basic (X) or in the form (LinkedIn, Mastodon). */
  auth: 'basic' | 'post';
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export async function newPkce(): Promise<Pkce> {
  const verifier = oauth.generateRandomCodeVerifier();
  return { verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier) };
}

export function newState(): string {
  return oauth.generateRandomState();
}

/** An authorize URL: the network's page with the standard parameters (and PKCE when `codeChallenge` is given). */
export function authorizeUrl(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * The code (with its PKCE verifier, unless `null`) for tokens. The state
 * was checked already: Herald found the flow by it, and used it up.
 */
export async function exchangeCode(
  endpoint: TokenEndpoint,
  client: OAuthClient,
  grant: { code: string; redirectUri: string; codeVerifier: string | null },
  timeoutMs: number,
  /** How to send the request (the URL policy's routing, where the token endpoint is a host a user named). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>,
): Promise<TokenSet> {
  const { as, oauthClient, clientAuth, options } = parts(endpoint, client, timeoutMs, fetch);
  return guarded(async () => {
    const callback = oauth.validateAuthResponse(as, oauthClient, new URLSearchParams({ code: grant.code }), oauth.skipStateCheck);
    const response = await oauth.authorizationCodeGrantRequest(as, oauthClient, clientAuth, callback, grant.redirectUri, grant.codeVerifier ?? oauth.nopkce, options);
    return tokenSet(await oauth.processAuthorizationCodeResponse(as, oauthClient, response));
  });
}

/** A refresh token for new tokens (a rotating network answers a new refresh token too). */
export async function refreshTokens(endpoint: TokenEndpoint, client: OAuthClient, refreshToken: string, timeoutMs: number): Promise<TokenSet> {
  const { as, oauthClient, clientAuth, options } = parts(endpoint, client, timeoutMs);
  return guarded(async () => tokenSet(await oauth.processRefreshTokenResponse(as, oauthClient, await oauth.refreshTokenGrantRequest(as, oauthClient, clientAuth, refreshToken, options))));
}

function parts(endpoint: TokenEndpoint, client: OAuthClient, timeoutMs: number, fetch?: (url: string, init: RequestInit) => Promise<Response>) {
  const as: oauth.AuthorizationServer = { issuer: endpoint.issuer, token_endpoint: endpoint.url };
  const oauthClient: oauth.Client = { client_id: client.clientId };
  const clientAuth = endpoint.auth === 'basic' ? oauth.ClientSecretBasic(client.clientSecret) : oauth.ClientSecretPost(client.clientSecret);
  // http only where a test or the offline demo points Herald at a local network.
  const options = { signal: AbortSignal.timeout(timeoutMs), [oauth.allowInsecureRequests]: endpoint.url.startsWith('http:'), ...(fetch ? { [oauth.customFetch]: fetch } : {}) };
  return { as, oauthClient, clientAuth, options };
}

function tokenSet(response: oauth.TokenEndpointResponse): TokenSet {
  return {
    accessToken: response.access_token,
    ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
    ...(typeof response.expires_in === 'number' ? { expiresAt: new Date(Date.now() + response.expires_in * 1000) } : {}),
    ...(response.scope ? { scope: response.scope } : {}),
  };
}

/**
 * The network's refusal (an OAuth error answer: a used or wrong code, a
 * refused refresh token, a wrong client secret) is `rejected`; a failure to
 * reach it is `transient`.
 */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) {
      const code = error.error || 'oauth_error';
      const description = typeof error.cause.error_description === 'string' ? `: ${error.cause.error_description}` : '';
      if (error.status >= 500) throw new NetworkError('transient', `http_${error.status}`, `${code}${description}`, { httpStatus: error.status });
      throw new NetworkError('rejected', code, `The network refused: ${code}${description}`, { httpStatus: error.status });
    }
    if (error instanceof oauth.AuthorizationResponseError) throw new NetworkError('rejected', error.error, `The network refused: ${error.error}`);
    if (error instanceof oauth.OperationProcessingError) throw new NetworkError('rejected', 'invalid_token_response', `The network's token answer was not valid OAuth: ${error.message}`);
    if (error instanceof NetworkError) throw error;
    const refused = refusalOf(error);
    if (refused) throw new NetworkError('rejected', 'address_refused', `The token endpoint's host ${refused}: Herald does not call it (HERALD_URL_ALLOWLIST)`, { ambiguous: false });
    throw new NetworkError('transient', 'unreachable', `Could not reach the network's token endpoint: ${error instanceof Error ? error.message : String(error)}`);
  }
}

