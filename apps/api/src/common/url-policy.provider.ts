import { Provider } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { UrlPolicy } from './url-safety';

/** The outgoing-URL policy from HERALD_URL_ALLOWLIST, for every module that takes URLs. */
export const urlPolicyProvider: Provider = {
  provide: UrlPolicy,
  inject: [HERALD_CONFIG],
  useFactory: (config: HeraldConfig) => new UrlPolicy(config.urlAllowlist),
};
