// X's own SDK (@xdevplatform/xdk 0.6) against the mock X: its OAuth2 helper makes the
// PKCE pair and the authorize URL, the mock consents at once (login_hint), the helper
// exchanges the code and refreshes the token (its token URL is fixed at api.x.com: the
// script sends those calls to the mock, as a test intercepts a fixed host), then the
// client (which takes a baseUrl) reads the user and posts a tweet.
// Usage: node xdk.mjs <xBaseUrl> <clientId> <clientSecret> <handle>; prints JSON.
import { Client, OAuth2, generateCodeChallenge, generateCodeVerifier } from '@xdevplatform/xdk';

const [base, clientId, clientSecret, handle] = process.argv.slice(2);
const realFetch = globalThis.fetch;
const seen = [];
globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const routed = url.replace(/^https:\/\/(api\.)?x\.com/, base);
  seen.push(new URL(routed).pathname);
  return realFetch(typeof input === 'string' || input instanceof URL ? routed : new Request(routed, input), init);
};

const redirectUri = 'http://127.0.0.1:9/callback';
const oauth = new OAuth2({ clientId, clientSecret, redirectUri, scope: ['tweet.read', 'tweet.write', 'users.read', 'offline.access'] });
const verifier = generateCodeVerifier();
const challenge = await generateCodeChallenge(verifier);
oauth.codeChallenge = challenge;
const authorizeUrl = new URL((await oauth.getAuthorizationUrl('state-1')).replace(/^https:\/\/x\.com/, base));
authorizeUrl.searchParams.set('login_hint', handle);
const consent = await realFetch(authorizeUrl, { redirect: 'manual' });
const back = new URL(consent.headers.get('location'));
const token = await oauth.exchangeCode(back.searchParams.get('code'), verifier);
const refreshed = await oauth.refreshToken(token.refresh_token);

const client = new Client({ baseUrl: base, accessToken: refreshed.access_token });
const me = await client.users.getMe();
const tweet = await client.posts.create({ text: `Hello from xdk ${Date.now()}` });

console.log(
  JSON.stringify({
    consent: { status: consent.status, state: back.searchParams.get('state') },
    token: { type: token.token_type, expiresIn: token.expires_in, scope: token.scope, refreshRotated: refreshed.refresh_token !== token.refresh_token },
    me: me.data,
    tweet: tweet.data,
    seen,
  }),
);
