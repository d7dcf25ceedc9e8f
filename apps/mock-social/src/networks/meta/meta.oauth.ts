/**
 * Meta's OAuth, shared by Threads, Instagram and Facebook (one Meta app):
 * the consent dialog's rules, code redemption with Meta's own error words,
 * the app's credentials, and tokens: a code gives a short-lived (1 h)
 * token, an exchange a long-lived one (60 days), and a refresh of a
 * long-lived token a new one (the old keeps working until it expires).
 */
import { AuthorizeRules, isHttpUri } from '../../auth/authorize';
import { Redemption } from '../../auth/authorization-codes';
import { Answer } from '../../http/answer';
import { MockWorld } from '../../world';
import { MetaNetwork, graphError } from './graph';

export const SHORT_TTL_SECONDS = 3600;
export const LONG_TTL_SECONDS = 5_184_000;

export function metaAuthorizeRules(world: MockWorld, network: MetaNetwork): AuthorizeRules {
  return {
    network,
    pkce: 'none',
    checkClient: (clientId, redirectUri) =>
      clientId !== world.apps.clientId
        ? graphError(400, { message: 'Invalid App ID: The provided app ID does not look like a valid app ID.', code: 101 })
        : !isHttpUri(redirectUri)
          ? graphError(400, { message: "URL Blocked: This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings.", code: 191 })
          : undefined,
    checkScope: (scope) => {
      const asked = (scope ?? '').split(/[\s,]+/).filter(Boolean);
      if (asked.some((item) => !/^[a-z_]+$/.test(item))) return { error: 'Invalid Scopes' };
      return { scope: asked.join(',') };
    },
  };
}

/** The app's id and secret, or Meta's answer to wrong ones. */
export function metaClientProblem(world: MockWorld, clientId: string | undefined, clientSecret: string | undefined): Answer | undefined {
  if (clientId !== world.apps.clientId) return graphError(400, { message: 'Error validating application. Invalid application ID.', code: 101 });
  if (!world.apps.isRegistered(clientId, clientSecret)) return graphError(400, { message: 'Error validating client secret.', code: 1 });
  return undefined;
}

export function metaCodeProblem(reason: Exclude<Redemption, { ok: true }>['reason']): Answer {
  switch (reason) {
    case 'used':
      return graphError(400, { message: 'This authorization code has been used.', code: 100, error_subcode: 36009 });
    case 'expired':
      return graphError(400, { message: 'This authorization code has expired.', code: 100, error_subcode: 36007 });
    case 'redirect_uri':
      return graphError(400, {
        message: 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
        code: 100,
        error_subcode: 36008,
      });
    default:
      return graphError(400, { message: 'Invalid verification code format.', code: 100, error_subcode: 36007 });
  }
}

export function issueMetaToken(world: MockWorld, network: MetaNetwork, handle: string, scope: string, ttlSeconds: number): string {
  return world.tokens.issue({ network, handle, kind: 'access', scope, clientId: world.apps.clientId, ttlSeconds });
}

/** A long-lived token for a valid token of this network (the exchange and the refresh answer alike). */
export function longLivedFor(world: MockWorld, network: MetaNetwork, token: string | undefined): Answer {
  const checked = world.tokens.check(token, network);
  if (checked.state === 'unknown') return graphError(400, { message: 'Invalid OAuth access token - Cannot parse access token', code: 190 });
  if (checked.state === 'expired') return graphError(400, { message: 'Error validating access token: Session has expired.', code: 190, error_subcode: 463 });
  if (checked.state !== 'valid' || checked.grant.kind !== 'access') {
    return graphError(400, { message: 'Error validating access token: The session has been invalidated.', code: 190, error_subcode: 460 });
  }
  const accessToken = issueMetaToken(world, network, checked.grant.handle, checked.grant.scope, LONG_TTL_SECONDS);
  return { status: 200, body: { access_token: accessToken, token_type: 'bearer', expires_in: LONG_TTL_SECONDS } };
}
