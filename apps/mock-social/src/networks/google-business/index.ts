/** Google Business Profile at its own origin: Google's error format, its OAuth, accounts, locations and local posts. */
import type { MockNetworkModule } from '../more';
import { GOOGLE_BUSINESS_ERRORS } from './google-business.face';
import { registerGoogleBusiness } from './google-business';

export const GOOGLE_BUSINESS_MOCK = {
  name: 'google_business', errors: GOOGLE_BUSINESS_ERRORS, register: registerGoogleBusiness,
  // Business Profile's local post metrics (localPosts:reportInsights); Herald does not read them yet.
  metricFields: ['LOCAL_POST_VIEWS_SEARCH', 'LOCAL_POST_ACTIONS_CALL_TO_ACTION'],
  largeMetrics: ['LOCAL_POST_VIEWS_SEARCH'],
} satisfies MockNetworkModule<'google_business'>;
