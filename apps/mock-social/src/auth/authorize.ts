/**
 * The authorize endpoint every OAuth network has, as the mock runs it:
 * consent is given at once, as the account `login_hint` names (or a new
 * one), unless a `denyConsent` rule refuses it; the browser is sent back
 * to `redirect_uri` with `code` and `state`, or with `error`. A request
 * whose client or redirect URI cannot be trusted is answered here, not
 * redirected.
 */
import { Answer } from '../http/answer';
import { MockWorld } from '../world';
import { ChallengeMethod, isValidChallenge } from './pkce';

export interface AuthorizeRules {
  network: string;
  instanceUrl?: string;
  /** The Mastodon instance's name ("one", "two"), for fault rules that name it. */
  instance?: string;
  /** The answer for an unknown client or an unacceptable redirect URI; undefined when both are fine. */
  checkClient(clientId: string | undefined, redirectUri: string | undefined): Answer | undefined;
  /** X requires PKCE; Mastodon takes it when given; LinkedIn and Meta do not use it. */
  pkce: 'required' | 'optional' | 'none';
  /** The `code_challenge_method`s taken (S256 alone unless told), and whether their case matters (X takes `s256`). */
  pkceMethods?: readonly ChallengeMethod[];
  pkceMethodAnyCase?: boolean;
  /** The scope to grant when none is asked for (Mastodon's `read`), or an error description when it cannot be granted. */
  checkScope(scope: string | undefined): { scope: string } | { error: string };
}

export function authorize(world: MockWorld, rules: AuthorizeRules, query: Record<string, string | undefined>): Answer {
  const refusal = rules.checkClient(query.client_id, query.redirect_uri);
  if (refusal) return refusal;
  const back = (params: Record<string, string>): Answer => {
    const url = new URL(query.redirect_uri!);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    if (query.state !== undefined) url.searchParams.set('state', query.state);
    return { status: 302, headers: { location: url.toString() } };
  };
  if (query.response_type !== 'code') return back({ error: 'unsupported_response_type', error_description: 'response_type must be code' });
  const scope = rules.checkScope(query.scope);
  if ('error' in scope) return back({ error: 'invalid_scope', error_description: scope.error });
  let challenge: string | undefined;
  let challengeMethod: ChallengeMethod | undefined;
  if (rules.pkce !== 'none' && (query.code_challenge !== undefined || rules.pkce === 'required')) {
    if (query.code_challenge === undefined) return back({ error: 'invalid_request', error_description: 'code_challenge is required' });
    const methods = rules.pkceMethods ?? ['S256'];
    const asked = query.code_challenge_method;
    challengeMethod = methods.find((method) => (rules.pkceMethodAnyCase ? asked?.toLowerCase() === method.toLowerCase() : asked === method));
    if (!challengeMethod) return back({ error: 'invalid_request', error_description: `code_challenge_method must be ${methods.join(' or ')}` });
    if (!isValidChallenge(query.code_challenge, challengeMethod)) return back({ error: 'invalid_request', error_description: `code_challenge is not a valid ${challengeMethod} challenge` });
    challenge = query.code_challenge;
  }
  const hint = query.login_hint;
  if (hint !== undefined && !/^[^\s\p{Cc}\p{Cf}]{1,200}$/u.test(hint)) return back({ error: 'invalid_request', error_description: 'login_hint is not a handle' });
  if (world.faults.deniesConsent({ network: rules.network, instance: rules.instance, handle: hint })) return back({ error: 'access_denied', error_description: 'The user denied the request' });
  const code = world.codes.issue({
    network: rules.network,
    ...(rules.instanceUrl ? { instanceUrl: rules.instanceUrl } : {}),
    clientId: query.client_id!,
    redirectUri: query.redirect_uri!,
    scope: scope.scope,
    handle: hint ?? world.accounts.newHandle(),
    ...(challenge ? { challenge, challengeMethod } : {}),
  });
  return back({ code });
}

/** Whether a redirect URI is one the mock sends a browser to: any absolute http(s) URI without a fragment. */
export function isHttpUri(value: string | undefined): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hash === '';
  } catch {
    return false;
  }
}
