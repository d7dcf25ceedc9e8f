/** Everything the mock's servers share: its settings, its memory, the fault rules, rate-limit budgets and posting quotas, the call log, and where each origin is served. */
import { randomBytes } from 'node:crypto';
import { AccountMetricsBook } from './account-metrics';
import { Accounts } from './accounts';
import { AuthorizationCodes } from './auth/authorization-codes';
import { CallLog } from './calls';
import { OAuthApps } from './auth/oauth-apps';
import { TokenCalls } from './auth/token-calls';
import { TokenStore } from './auth/tokens';
import { MockConfig } from './config';
import { Faults } from './faults';
import { Gate } from './gate';
import { OriginName } from './networks';
import { PostMetricsBook } from './post-metrics';
import { Profiles } from './profiles';
import { PublishQuotas } from './quotas';
import { RateLimits } from './rate-limits';
import { MockStore } from './store';

export class MockWorld {
  readonly store = new MockStore();
  readonly tokens = new TokenStore();
  readonly faults = new Faults(this.tokens, (instance) => this.urls.get(`mastodon-${instance}` as OriginName));
  readonly rateLimits: RateLimits;
  readonly quotas = new PublishQuotas();
  readonly calls = new CallLog();
  readonly gate: Gate;
  readonly accounts = new Accounts();
  readonly profiles = new Profiles();
  /** What each post earned (`PUT /_mock/metrics`, and a curve per post). */
  readonly metrics = new PostMetricsBook();
  /** Each account's followers and the rest (`PUT /_mock/account-metrics`). */
  readonly accountMetrics = new AccountMetricsBook();
  readonly tokenCalls = new TokenCalls();
  readonly codes: AuthorizationCodes;
  readonly apps: OAuthApps;
  /** Signs Bluesky's session JWTs; new at every start, so tokens of an earlier run are refused. */
  readonly jwtSecret = randomBytes(32);
  private urls = new Map<OriginName, string>();

  constructor(readonly config: MockConfig) {
    this.rateLimits = new RateLimits(config.rateLimitScale);
    this.gate = new Gate(this.faults, this.rateLimits, this.calls);
    this.codes = new AuthorizationCodes(config.codeTtlSeconds);
    this.apps = new OAuthApps(config.clientId, config.clientSecret);
  }

  setUrl(name: OriginName, url: string): void {
    this.urls.set(name, url);
  }

  /** An origin's base URL (http://host:port, no trailing slash), once it listens. */
  url(name: OriginName): string {
    const url = this.urls.get(name);
    if (!url) throw new Error(`origin ${name} is not listening`);
    return url;
  }
}
