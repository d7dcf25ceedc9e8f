/**
 * `POST /_mock/tokens {network, handle, instanceUrl?}`: a valid token for an
 * account without a consent flow, as the network would have issued it
 * (X with a refresh token, Bluesky a session, Meta long-lived tokens and a
 * Page token on Facebook), with the network's id for the account.
 */
import { linkedinSubOf, normalHandle, numericIdOf } from '../accounts';
import { Answer } from '../http/answer';
import { fbUserIdOf, igUserIdOf, pageIdOf, pageTokenFor } from '../networks/meta/facebook-login';
import { LONG_TTL_SECONDS, issueMetaToken } from '../networks/meta/meta.oauth';
import { issueSession } from '../networks/bluesky/bluesky.face';
import { accountIdOf } from '../networks/mastodon/mastodon.face';
import { issueLinkedIn } from '../networks/linkedin/linkedin.oauth';
import { threadsUserIdOf } from '../networks/threads/threads.oauth';
import { openIdOf } from '../networks/tiktok/tiktok.oauth';
import { issuePair } from '../networks/x/x.oauth';
import { isMockNetwork } from '../networks';
import { MockWorld } from '../world';

export function issueTestToken(world: MockWorld, body: unknown): Answer {
  const { network, handle, instanceUrl } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (!isMockNetwork(network)) return { status: 400, body: { error: 'network must be one of the mock networks' } };
  if (typeof handle !== 'string' || !/^[^\s\p{Cc}\p{Cf}]{1,200}$/u.test(handle)) return { status: 400, body: { error: 'handle must be a handle' } };
  const base = { network, handle };
  switch (network) {
    default:
      // A network that describes itself: an access token of a day.
      return ok({ ...base, accountId: handle, accessToken: world.tokens.issue({ network, handle, kind: 'access', ttlSeconds: 86_400 }) });
    case 'tiktok':
      // TikTok checks the granted scopes on each call: the ones Herald's consent asks for.
      return ok({ ...base, accountId: openIdOf(handle), accessToken: world.tokens.issue({ network, handle, kind: 'access', ttlSeconds: 86_400, scope: 'user.info.basic,user.info.profile,video.publish' }) });
    case 'x': {
      const pair = issuePair(world, handle, 'tweet.read tweet.write users.read media.write offline.access');
      return ok({ ...base, accountId: numericIdOf(handle), accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresIn: pair.expires_in });
    }
    case 'bluesky': {
      const normal = normalHandle(handle);
      if (!normal) return { status: 400, body: { error: 'a Bluesky handle is a domain name, e.g. alice.bsky.social' } };
      const session = issueSession(world, normal);
      return ok({ ...base, handle: normal, accountId: session.did, accessToken: session.accessJwt, refreshToken: session.refreshJwt, expiresIn: world.config.accessTokenTtlSeconds });
    }
    case 'mastodon': {
      const instances = (['one', 'two'] as const).map((name) => ({ name, url: world.url(`mastodon-${name}`) }));
      const instance = instanceUrl === undefined ? instances[0]! : instances.find((entry) => entry.url === String(instanceUrl).replace(/\/+$/, ''));
      if (!instance) return { status: 400, body: { error: `instanceUrl must be one of ${instances.map((entry) => entry.url).join(', ')}` } };
      const accessToken = world.tokens.issue({ network, handle, instanceUrl: instance.url, kind: 'access', scope: 'read write' });
      return ok({ ...base, instanceUrl: instance.url, accountId: accountIdOf(instance, handle), accessToken });
    }
    case 'linkedin': {
      const issued = issueLinkedIn(world, handle, 'openid,profile,email,w_member_social');
      return ok({ ...base, accountId: linkedinSubOf(handle), accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresIn: issued.expires_in });
    }
    case 'threads':
      return ok({ ...base, accountId: threadsUserIdOf(handle), accessToken: issueMetaToken(world, network, handle, 'threads_basic,threads_content_publish,threads_delete', LONG_TTL_SECONDS), expiresIn: LONG_TTL_SECONDS });
    case 'instagram':
      return ok({ ...base, accountId: igUserIdOf(handle), accessToken: issueMetaToken(world, network, handle, 'instagram_basic,instagram_content_publish,pages_show_list', LONG_TTL_SECONDS), expiresIn: LONG_TTL_SECONDS });
    case 'facebook':
      return ok({
        ...base,
        accountId: pageIdOf(handle),
        userId: fbUserIdOf(handle),
        accessToken: issueMetaToken(world, network, handle, 'pages_show_list,pages_manage_posts,pages_read_engagement', LONG_TTL_SECONDS),
        pageAccessToken: pageTokenFor(world, network, handle),
        expiresIn: LONG_TTL_SECONDS,
      });
  }
}

function ok(body: Record<string, unknown>): Answer {
  return { status: 200, body: Object.fromEntries(Object.entries(body).filter((entry) => entry[1] !== undefined)) };
}
