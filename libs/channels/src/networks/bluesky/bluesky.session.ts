/**
 * Connecting a Bluesky account with its handle and an app password (never
 * stored): the handle is resolved to its DID (`resolveHandle` at the given
 * `service`, else at the entryway, bsky.social), the DID to its document
 * (the PLC directory, or `/.well-known/did.json` for did:web) and so to its
 * PDS, where `createSession` opens a session. Kept: the DID, the PDS, the
 * access JWT (two hours) and the refresh JWT, renewed by `refreshSession`.
 */
import { ChannelCredentials } from '../../adapter';
import { AccountProfile, ConnectedAccount, ProfileReader, RefreshRequest, TokenRefresher, TokenSet } from '../../connector';
import { NetworkEndpoints } from '../../endpoints';
import { NetworkError } from '../../errors';
import { field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { NetworkGuard } from '../../outbound';
import { blueskyError } from './bluesky.errors';

export interface AppPasswordLogin {
  handle: string;
  appPassword: string;
  /** A PDS (or entryway) to use instead of finding it from the handle. */
  service?: string;
}

export class BlueskySessions implements TokenRefresher, ProfileReader {
  readonly network = 'bluesky' as const;
  /** Access tokens live two hours: renewed in their last ten minutes. */
  readonly refreshAheadMs = 10 * 60_000;
  readonly renewsWith = 'refresh_token' as const;

  constructor(
    private readonly endpoints: NetworkEndpoints,
    private readonly timeoutMs: number,
    /** A PDS, a `service` or a did:web document is a host a user names: called under the URL policy. */
    private readonly guard?: NetworkGuard,
  ) {}

  async connect(login: AppPasswordLogin): Promise<ConnectedAccount> {
    const did = await this.asPds(login.service, () => this.resolveHandle(login.handle, login.service));
    const pds = login.service ?? (await this.pdsOf(did));
    let session: unknown;
    try {
      session = (await this.asPds(pds, () => this.xrpc(pds).post('/xrpc/com.atproto.server.createSession', { identifier: did, password: login.appPassword }))).body;
    } catch (error) {
      if (error instanceof NetworkError && (error.errorClass === 'auth_revoked' || error.httpStatus === 401)) {
        throw new NetworkError('rejected', 'invalid_app_password', `Bluesky refused the app password for ${login.handle}`, { httpStatus: 401 });
      }
      if (error instanceof NetworkError && /AuthFactorTokenRequired/.test(error.message)) {
        throw new NetworkError('rejected', 'two_factor_required', `${login.handle} asks for a two-factor code: connect with an app password instead of the account password`);
      }
      throw error;
    }
    const accessJwt = field(session, 'accessJwt');
    const refreshJwt = field(session, 'refreshJwt');
    if (!accessJwt || !refreshJwt) throw new NetworkError('rejected', 'bad_answer', 'Bluesky answered createSession without tokens');
    // The session's own DID document names the PDS to talk to from now on, when it names one.
    const host = login.service ?? endpointOf(field(session, 'did') ?? did, (session as { didDoc?: unknown }).didDoc) ?? pds;
    const accountId = field(session, 'did') ?? did;
    const handle = field(session, 'handle') ?? login.handle;
    // The name and avatar are a courtesy: an account connects without them.
    const profile = await this.profile({ handle, accessToken: accessJwt, accountId, host }).catch(() => undefined);
    // Unread (undefined) is not "none": a channel connected again keeps the avatar it had.
    return { accountId, handle, ...(profile ? { displayName: profile.displayName, avatarUrl: profile.avatarUrl } : {}), host, tokens: sessionTokens(accessJwt, refreshJwt) };
  }

  /** `app.bsky.actor.getProfile` for the account's own DID, at its PDS (which answers it, or proxies it to the AppView). */
  async profile(credentials: ChannelCredentials): Promise<AccountProfile> {
    const actor = credentials.accountId ?? credentials.handle;
    const pds = credentials.host ?? this.endpoints.bluesky.entryway;
    const answer = (await this.asPds(pds, () => this.xrpc(pds, credentials.accessToken).get('/xrpc/app.bsky.actor.getProfile', { actor }))).body;
    const did = field(answer, 'did');
    const handle = field(answer, 'handle');
    if (!did || !handle) throw new NetworkError('rejected', 'bad_answer', 'Bluesky answered getProfile without the account');
    return { accountId: did, handle, displayName: field(answer, 'displayName') || null, avatarUrl: field(answer, 'avatar') ?? null };
  }

  canRefresh(credentials: RefreshRequest): boolean {
    return credentials.refreshToken !== undefined;
  }

  async refresh(credentials: RefreshRequest): Promise<TokenSet> {
    if (!credentials.refreshToken) throw new NetworkError('auth_revoked', 'no_refresh_token', 'This Bluesky channel has no session to renew: reconnect it');
    const pds = credentials.host ?? this.endpoints.bluesky.entryway;
    const client = new NetworkClient(pds, this.timeoutMs, {}, (reply) => {
      // Any refusal of a refresh token (expired, revoked, reused) ends the session.
      const failure = blueskyError(reply);
      return failure.errorClass === 'transient' || failure.errorClass === 'rate_limited' ? failure : new NetworkError('auth_revoked', failure.code, failure.message, { httpStatus: reply.status });
    }, this.guard);
    const session = (await client.post('/xrpc/com.atproto.server.refreshSession', undefined, { headers: { authorization: `Bearer ${credentials.refreshToken}` } })).body;
    const accessJwt = field(session, 'accessJwt');
    const refreshJwt = field(session, 'refreshJwt');
    if (!accessJwt || !refreshJwt) throw new NetworkError('transient', 'bad_answer', 'Bluesky answered refreshSession without tokens');
    return sessionTokens(accessJwt, refreshJwt);
  }

  /** A handle's DID, asked of the given PDS or of the entryway; undefined-free: an unknown handle is a `rejected` error. */
  async resolveHandle(handle: string, service?: string, accessToken?: string): Promise<string> {
    try {
      const answer = (await this.xrpc(service ?? this.endpoints.bluesky.entryway, accessToken).get('/xrpc/com.atproto.identity.resolveHandle', { handle })).body;
      const did = field(answer, 'did');
      if (!did) throw new NetworkError('rejected', 'handle_not_found', `Bluesky found no account for ${handle}`);
      return did;
    } catch (error) {
      if (error instanceof NetworkError && error.httpStatus === 400) throw new NetworkError('rejected', 'handle_not_found', `Bluesky found no account for ${handle}`, { httpStatus: 400 });
      throw error;
    }
  }

  /** The PDS a DID document names (`#atproto_pds`). */
  private async pdsOf(did: string): Promise<string> {
    const documentUrl = did.startsWith('did:web:') ? `https://${did.slice('did:web:'.length)}/.well-known/did.json` : `${this.endpoints.bluesky.plc}/${encodeURIComponent(did)}`;
    const document = (await this.asPds(documentUrl, () => new NetworkClient('', this.timeoutMs, {}, blueskyError, this.guard).get(documentUrl))).body;
    const pds = endpointOf(did, document);
    if (!pds) throw new NetworkError('rejected', 'no_pds', `The DID document of ${did} names no PDS`);
    return pds;
  }

  /** A host a user named (a `service`, a did:web document, the PDS it names) answers in Herald's words, never with its own status or text. */
  private asPds<T>(url: string | undefined, work: () => Promise<T>): Promise<T> {
    return url !== undefined && this.guard ? this.guard.inOwnWords(url, 'a Bluesky PDS', work) : work();
  }

  private xrpc(base: string, accessToken = ''): NetworkClient {
    return new NetworkClient(base.replace(/\/+$/, ''), this.timeoutMs, { credentials: { handle: '', accessToken } }, blueskyError, this.guard);
  }
}

/** The `#atproto_pds` service endpoint of a DID document. */
function endpointOf(did: string, document: unknown): string | undefined {
  const service = list(document, 'service').find((entry) => {
    const id = field(entry, 'id');
    return (id === '#atproto_pds' || id === `${did}#atproto_pds`) && field(entry, 'type') === 'AtprotoPersonalDataServer';
  });
  return field(service, 'serviceEndpoint')?.replace(/\/+$/, '');
}

/** A session's tokens, the access token's lifetime read from its own `exp`. */
function sessionTokens(accessJwt: string, refreshJwt: string): TokenSet {
  let expiresAt: Date | undefined;
  try {
    const exp = Number(JSON.parse(Buffer.from(accessJwt.split('.')[1] ?? '', 'base64url').toString('utf8')).exp);
    if (Number.isFinite(exp)) expiresAt = new Date(exp * 1000);
  } catch {
    // not a JWT we can read: refreshed on its first refusal instead
  }
  return { accessToken: accessJwt, refreshToken: refreshJwt, ...(expiresAt ? { expiresAt } : {}) };
}
